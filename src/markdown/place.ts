import type { Code } from 'mdast'
import type { VFile } from 'vfile'

export interface Point {
  line: number
  column: number
}

/**
 * Turns offsets into a fence's meta string into file positions, so an error
 * points at the very option (`content/post.md:12:18`), not just the fence.
 */
export function metaLocator(file: VFile): (node: Code, start: number, end?: number) => { start: Point; end: Point } {
  let lines: string[] | undefined
  return (node, start, end = start) => {
    const at = node.position!.start
    lines ??= String(file.value).split(/\r?\n|\r/)
    const text = lines[at.line - 1] ?? ''
    const base = node.meta ? text.indexOf(node.meta, at.column - 1) : -1
    if (base < 0) return { start: { line: at.line, column: at.column }, end: { line: at.line, column: at.column } }
    return { start: { line: at.line, column: base + start + 1 }, end: { line: at.line, column: base + end + 1 } }
  }
}
