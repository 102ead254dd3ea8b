import type { Code } from 'mdast'
import type { VFile } from 'vfile'

export interface Point {
  line: number
  column: number
}

/**
 * The meta string of a fence as written, and where it starts. remark hands
 * over `node.meta` with backslash escapes and entities already decoded, so
 * `title="a\\"b"` would arrive broken and its offsets would be wrong: read
 * the opening line from the source instead.
 */
export function rawMeta(lines: string[], node: Code): { text: string; column: number } | undefined {
  const at = node.position?.start
  if (!at || !node.meta) return undefined
  const line = lines[at.line - 1] ?? ''
  const opening = /^(?:`{3,}|~{3,})[ \t]*\S+[ \t]+/.exec(line.slice(at.column - 1))
  if (!opening) return undefined
  return { text: line.slice(at.column - 1 + opening[0].length).trimEnd(), column: at.column + opening[0].length }
}

/** Splits a file's text once so that every fence can find its line. */
export function sourceLines(file: VFile): string[] {
  return String(file.value).split(/\r?\n|\r/)
}

/** File positions of offsets into a fence's raw meta string; none for a fence without a position (one a plugin made). */
export function metaPlace(meta: { column: number }, node: Code, start: number, end = start): { start: Point; end: Point } | undefined {
  const line = node.position?.start.line
  if (line === undefined) return undefined
  return { start: { line, column: meta.column + start }, end: { line, column: meta.column + end } }
}
