/**
 * A guard run on a post's source before the Markdown stages: remark and the
 * tree walks after it recurse once per level of block quotes and lists, so
 * 2,000 nested `>` overflow the stack and 1,000 nested lists take minutes.
 * One linear pass over the line prefixes finds such a post first, so that it
 * is an error at its line and the rest of the site still builds.
 *
 * Host adapters call `nestingProblem(text)` (or `reportTooDeep(file)`) and
 * skip the Markdown stages for a post that has one.
 */
import type { VFile } from 'vfile'
import { report } from './rules.js'

/** Levels of block quotes and lists allowed; remark handles 100 in a fraction of a second. */
export const MAX_NESTING = 100

export interface NestingProblem {
  line: number
  /** Where the line's nesting passes the limit. */
  column: number
  reason: string
}

/** A list item's marker (`-`, `*`, `+`, `1.`, `1)`) followed by a blank or the line's end. */
const LIST_MARKER = /^(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)/

/**
 * The first line nested deeper than `limit`, or undefined. Counted per line,
 * from its prefix: each `>` and each list marker is a level, and every two
 * columns of indentation could be one more (the least a nested list needs),
 * so the count is never below the real depth.
 */
export function nestingProblem(text: string, limit = MAX_NESTING): NestingProblem | undefined {
  let line = 0
  for (const { 0: content } of text.matchAll(/[^\n\r]*(?:\r\n|\n|\r|$)/g)) {
    line++
    let depth = 0
    let i = 0
    for (;;) {
      let columns = 0
      for (; content[i] === ' ' || content[i] === '\t'; i++) columns += content[i] === '\t' ? 4 : 1
      depth += Math.floor(columns / 2)
      if (depth > limit) break
      const marker = content[i] === '>' ? '>' : LIST_MARKER.exec(content.slice(i, i + 11))?.[0]
      if (!marker || ++depth > limit) break
      i += marker.length
    }
    if (depth > limit) {
      return { line, column: i + 1, reason: `block quotes and lists nest more than ${limit} levels deep here, more than the Markdown stages can take; the page gets no body` }
    }
    if (content === '') break
  }
  return undefined
}

/** Reports the file's nesting problem as an error (`nesting-too-deep`); true when there is one. */
export function reportTooDeep(file: VFile, limit = MAX_NESTING): boolean {
  const problem = nestingProblem(String(file.value), limit)
  if (problem) report(file, { ruleId: 'nesting-too-deep', reason: problem.reason, place: { line: problem.line, column: problem.column } })
  return problem !== undefined
}
