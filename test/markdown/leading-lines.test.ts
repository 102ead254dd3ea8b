import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { type Processor, unified } from 'unified'
import { describe, expect, it } from 'vitest'
import skipLeadingNewlines from '../../src/markdown/leading-lines.js'

// Every kind of node a post has, positions included: blocks, inlines, GFM, raw HTML, CRLF lines.
const POST = [
  '# Title *with* `code`',
  '',
  'Prose with a [link](https://example.com "t"), an autolink https://example.com, ~~struck~~ and a footnote[^1].',
  '',
  '> quoted',
  '> - list in a quote',
  '',
  '1. one',
  '   ```python run title="x"',
  '   print(1)',
  '   ```',
  '2. two',
  '',
  '| a | b |',
  '| - | :-: |',
  '| `c` | **d** |',
  '',
  '<div>raw <b>html</b></div>',
  '',
  '    indented code',
  '',
  '[^1]: The note.',
  '',
  '[ref]: https://example.com',
].join('\n')

const plain = unified().use(remarkParse).use(remarkGfm)
const skipping = unified().use(remarkParse).use(skipLeadingNewlines).use(remarkGfm)

describe('skipLeadingNewlines', () => {
  it.each([0, 1, 15, 16, 300])('gives the tree of the whole text after %i newlines', (lines) => {
    const text = '\n'.repeat(lines) + POST
    expect(skipping.parse(text)).toEqual(plain.parse(text))
  })

  it('gives the same tree for CRLF lines and for a text of newlines only', () => {
    for (const text of ['\n'.repeat(40) + POST.replaceAll('\n', '\r\n'), '\n'.repeat(40), '\n'.repeat(40) + '  \n\ttext'])
      expect(skipping.parse(text)).toEqual(plain.parse(text))
  })

  it('parses from the first line that is not empty', () => {
    const seen: string[] = []
    const spy = unified()
      .use(remarkParse)
      .use(function (this: Processor) {
        const parse = this.parser!
        this.parser = (document, file) => (seen.push(document), parse(document, file))
      })
      .use(skipLeadingNewlines)
    const tree = spy.parse('\n'.repeat(200) + '```python run\nprint(1)\n```\n')
    expect(seen).toEqual(['```python run\nprint(1)\n```\n'])
    expect(tree.children[0]!.position).toEqual({ start: { line: 201, column: 1, offset: 200 }, end: { line: 203, column: 4, offset: 226 } })
  })

  it('needs remark-parse before it', () => {
    expect(() => unified().use(skipLeadingNewlines).parse('x')).toThrow(/after remark-parse/)
  })
})
