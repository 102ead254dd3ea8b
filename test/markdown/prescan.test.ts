/**
 * The pre-scan finds run fences by a line scan instead of a parse: every
 * request it queues must be byte for byte one the page's parse makes, or the
 * build would pay for a job no page asks for (and break "one engine call per
 * edited snippet").
 */
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import { generateCorpus, generateRealCorpus } from '../../bench/corpus.js'
import { cacheKey, normalizeRequest } from '../../src/cache/key.js'
import { collectSnippets } from '../../src/markdown/collect.js'
import { frontMatterLines } from '../../src/markdown/front-matter.js'
import { prescanRequests } from '../../src/markdown/prescan.js'

/** The keys of the requests the plugin makes for `source`, after a real parse (as the host does). */
function parsedKeys(source: string): string[] {
  const lines = frontMatterLines(source)
  const file = new VFile({ value: '\n'.repeat(lines) + source.split('\n').slice(lines).join('\n') })
  const tree = unified().use(remarkParse).use(remarkGfm).parse(file)
  return collectSnippets(tree, file).snippets.flatMap((s) => (s.request ? [cacheKey(normalizeRequest(s.request))] : []))
}
const scannedKeys = (source: string) => prescanRequests(source).map((r) => cacheKey(normalizeRequest(r)))

const fence = (info: string, code: string, marker = '```') => `${marker}${info}\n${code}\n${marker}`

describe('prescanRequests', () => {
  it('finds exactly the requests of the bench corpora, post by post (stdin and output fences, prepends, args, copies)', () => {
    const posts = [...generateCorpus({ seed: 5, posts: 6, snippets: 90 }).files.values(), ...generateRealCorpus({ seed: 5, posts: 4, snippets: 20, clusterPosts: 2, hugeFenceLines: 200 }).files.values()]
    let found = 0
    for (const post of posts) {
      const keys = scannedKeys(post)
      expect(keys).toEqual(parsedKeys(post))
      found += keys.length
    }
    expect(found).toBeGreaterThan(90)
  })

  it('ties a stdin fence to its run fence only when nothing stands between them, as the parse does', () => {
    const direct = [fence('python run', 'print(input())'), '', fence('text stdin', 'direct')].join('\n')
    const apart = [fence('python run', 'print(input())'), '', 'A paragraph.', '', fence('text stdin', 'apart')].join('\n')
    for (const source of [direct, apart]) expect(scannedKeys(source)).toEqual(parsedKeys(source))
    expect(prescanRequests(direct)[0]!.stdin).toBe('direct')
    expect(prescanRequests(apart)[0]!.stdin).toBeUndefined()
  })

  it('reads tilde fences, longer markers, fences inside longer fences, and escapes in the meta as the parse does', () => {
    const source = [
      '---',
      'title: "front matter with ```python run inside"',
      '---',
      fence('bash run title="say \\"hi\\""', 'echo "hi"'),
      fence('python run', 'print("~~~")', '~~~'),
      fence('markdown', fence('python run', 'print("not a fence of its own")'), '````'),
      'Text right before',
      fence('sql run id=a', "SELECT 'x';"),
      fence('bash run args="one two"', 'echo "$@"', '````'),
    ].join('\n')
    const keys = scannedKeys(source)
    expect(keys).toEqual(parsedKeys(source))
    expect(keys).toHaveLength(4)
  })

  it('gives nothing for what a line scan cannot place for sure, rather than a wrong request', () => {
    const unsure = {
      'indented fence (in a list item)': ['1. Step', '', '   ```python run', '   print(1)', '   ```'].join('\n'),
      'HTML block around a fence': ['<div>', fence('python run', 'print(2)'), '</div>'].join('\n'),
      'template tags (Eleventy renders them first)': fence('python run', 'print("{{ title }}")'),
      'CR line ends': fence('python run', 'print(3)').replace(/\n/g, '\r\n'),
      'unclosed fence': '```python run\nprint(4)\n',
    }
    for (const [name, source] of Object.entries(unsure)) expect(prescanRequests(source), name).toEqual([])
    // A fence in a blockquote is simply not seen; the ones beside it are.
    const quoted = ['> ```python run', '> print(5)', '> ```', '', fence('python run', 'print(6)')].join('\n')
    expect(scannedKeys(quoted)).toEqual([parsedKeys(quoted)[1]])
    expect(parsedKeys(quoted)).toHaveLength(2)
  })

  it('skips posts with no run fence without building anything', () => {
    expect(prescanRequests(['# Title', '', fence('python', 'print(1)'), '', 'Prose.'].join('\n'))).toEqual([])
  })
})
