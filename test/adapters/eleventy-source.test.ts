/**
 * Where a line of the Markdown Eleventy hands markdown-it (after Liquid or
 * Nunjucks ran over the page) is in the file the author wrote: found, or
 * unknown, never guessed; and the messages and records moved there.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { VFile } from 'vfile'
import { afterEach, describe, expect, it } from 'vitest'
import { sourceLineMap } from '../../src/adapters/eleventy/source.js'
import { LINE_UNKNOWN, relocate } from '../../src/markdown/relocate.js'
import { makeProject } from '../helpers/project.js'

const removals: Array<() => Promise<void>> = []
afterEach(async () => {
  while (removals.length) await removals.pop()!()
})

async function fileWith(text: string): Promise<string> {
  const p = await makeProject({})
  removals.push(p.remove)
  const path = join(p.dir, 'post.md')
  await writeFile(path, text)
  return path
}

describe('sourceLineMap', () => {
  it('maps every line when the body is the file as written (front matter counted)', async () => {
    const path = await fileWith('---\ntitle: A\n---\n\nText.\n```python run\nprint(1)\n```\n')
    const map = sourceLineMap(path, '\nText.\n```python run\nprint(1)\n```\n', [{ start: 3, end: 5 }])
    expect(map(3)).toBe(6)
    expect(map(1)).toBe(4)
  })

  it('finds a fence a template moved (a comment removed), by its text or by its code, and only where it is written once', async () => {
    const path = await fileWith('---\ntitle: A\n---\n{# one\ntwo #}\n```python run\nprint(1)\n```\n\n{% codeRunner "T", "bash" %}\necho hi\n{% endcodeRunner %}\n\n```bash run\necho twice\n```\n```bash run\necho twice\n```\n')
    const rendered = '\n```python run\nprint(1)\n```\n\n```bash run title="T"\necho hi\n```\n\n```bash run\necho twice\n```\n```bash run\necho twice\n```\n'
    const map = sourceLineMap(path, rendered, [
      { start: 2, end: 4 },
      { start: 6, end: 8 },
      { start: 10, end: 12 },
      { start: 13, end: 15 },
    ])
    expect([map(2), map(3), map(4)]).toEqual([6, 7, 8])
    // The shortcode's fence: its code is in the file once; its first line is the opening tag's.
    expect([map(6), map(7)]).toEqual([10, 11])
    // Written twice: which one is which cannot be known.
    expect([map(10), map(11), map(14)]).toEqual([undefined, undefined, undefined])
    // Outside any fence: unknown.
    expect(map(1)).toBeUndefined()
  })

  it('knows nothing of a file it cannot read', () => {
    expect(sourceLineMap('/nonexistent/post.md', 'x', [{ start: 1, end: 1 }])(1)).toBeUndefined()
  })
})

describe('relocate', () => {
  it('moves messages and records to the source lines, and drops the place of one whose line is unknown, saying so', () => {
    const file = new VFile({ path: 'post.md', value: '' })
    file.message('known', { place: { start: { line: 2, column: 1 }, end: { line: 3, column: 4 } } })
    file.message('unknown', { place: { line: 9, column: 1 } })
    file.data.snippets = [
      { line: 2, column: 1, language: 'python', status: 'passed', live: false },
      { line: 9, column: 1, language: 'bash', status: 'failed', live: false },
    ]
    relocate(file, (line) => (line < 5 ? line + 10 : undefined))
    const [known, unknown] = file.messages
    expect([known!.line, known!.column, known!.place]).toEqual([12, 1, { start: { line: 12, column: 1 }, end: { line: 13, column: 4 } }])
    expect([unknown!.line, unknown!.place, unknown!.reason]).toEqual([undefined, undefined, `unknown (${LINE_UNKNOWN})`])
    expect(file.data.snippets.map((r) => r.line)).toEqual([12, undefined])
  })
})
