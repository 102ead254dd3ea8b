/** A content-collection entry's body placed in its file: what the glob loader hands the processor, and where it was. */
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { describe, expect, it } from 'vitest'
import type { Code } from 'mdast'
import { bodyStart, movedTree } from '../../src/adapters/astro/entry-body.js'

const source = '---\ntitle: A\n---\n\n\nText.\n\n```bash run\necho 1\n```\n\n'
// What Astro's glob loader hands over: the text after the front matter, trimmed.
const body = 'Text.\n\n```bash run\necho 1\n```'

describe('bodyStart', () => {
  it("finds a trimmed body after the front matter: the lines before it, and its first line's lost columns", () => {
    expect(bodyStart(source, body)).toEqual({ lines: 5, columns: 0, offset: source.indexOf('Text.') })
    expect(bodyStart('---\nx: 1\n---\n   Indented.\n', 'Indented.')).toEqual({ lines: 3, columns: 3, offset: 16 })
    expect(bodyStart(source.replaceAll('\n', '\r\n'), body.replaceAll('\n', '\r\n'))?.lines).toBe(5)
  })

  it('leaves a page whose front matter Astro blanked in place, a file without front matter, and a body from elsewhere', () => {
    expect(bodyStart(source, source.replace(/^---[\s\S]*?---/, (m) => m.replace(/[^\n]/g, ' ')))).toBeUndefined()
    expect(bodyStart(body + '\n', body)).toBeUndefined()
    expect(bodyStart(source, 'Other text.')).toBeUndefined()
  })
})

describe('movedTree', () => {
  it('moves the positions of a copy to the file, and maps each copy to its original', () => {
    const tree = unified().use(remarkParse).parse(body)
    const moved = movedTree(tree, bodyStart(source, body)!)
    const code = moved.tree.children[1] as Code
    expect(code).toMatchObject({ type: 'code', lang: 'bash', meta: 'run', value: 'echo 1' })
    expect(code.position?.start).toEqual({ line: 8, column: 1, offset: source.indexOf('```') })
    expect(moved.originals.get(code)).toBe(tree.children[1])
    expect(tree.children[1]!.position?.start.line).toBe(3)
  })
})
