/**
 * A guard run on a post's source before the Markdown stages: remark and the
 * tree walks after it recurse once per level of block quotes and lists, so
 * 2,000 nested `>` overflow the stack and 1,000 nested lists take minutes;
 * emphasis, strikethrough and links nested 3,000 deep on one line took
 * remark-gfm 9 s and then overflowed the stack. One linear pass over the
 * lines finds such a post first, so that it is an error at its line and the
 * rest of the site still builds.
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

/** A fence's opening line, after its container prefix: the fence's character and length. */
const FENCE = /^(`{3,}|~{3,})/
/** What can open or close an inline level: runs of one emphasis character, brackets, code span ticks. */
const INLINE = /\*+|_+|~+|[[\]]|`+/g
const isSpace = (char: string | undefined) => char === undefined || /\s/.test(char)
const isPunctuation = (char: string | undefined) => char !== undefined && /[\p{P}\p{S}]/u.test(char)

/**
 * Inline levels still open after `text`, one line of a paragraph, starting
 * from `depth`; `limit + 1` as soon as they pass `limit`, with the column.
 * A run of `*`, `_` or `~` opens a level when only its right side touches
 * text (CommonMark's left-flanking), closes one when only its left side
 * does, and, right after another run (`*_*_x_*_*`), does what that one did.
 * `[` opens, `]` closes; code spans are skipped.
 */
function inlineDepth(text: string, depth: number, limit: number): { depth: number; column?: number } {
  // What the run that ended at `lastEnd` did.
  let last: 'open' | 'close' | undefined
  let lastEnd = -1
  for (let match = INLINE.exec(text); match; match = INLINE.exec(text)) {
    const run = match[0]
    const at = match.index
    if (run[0] === '`') {
      // A code span runs to the next run of as many ticks; without one the ticks are text.
      const end = text.indexOf(run, at + run.length)
      if (end >= 0) INLINE.lastIndex = end + run.length
      continue
    }
    const before = text[at - 1]
    const after = text[at + run.length]
    const left = !isSpace(after) && (!isPunctuation(after) || isSpace(before) || isPunctuation(before))
    const right = !isSpace(before) && (!isPunctuation(before) || isSpace(after) || isPunctuation(after))
    const does = run === '[' ? 'open' : run === ']' ? 'close' : left && right ? (at === lastEnd ? last : undefined) : left ? 'open' : right ? 'close' : undefined
    last = does
    lastEnd = at + run.length
    if (does === 'open' && ++depth > limit) {
      INLINE.lastIndex = 0
      return { depth, column: at + 1 }
    }
    if (does === 'close') depth = Math.max(0, depth - 1)
  }
  return { depth }
}

/**
 * The first line nested deeper than `limit`, or undefined. Block levels are
 * counted per line, from its prefix: each `>` and each list marker is a
 * level, and every two columns of indentation could be one more (the least
 * a nested list needs), so the count is never below the real depth. Inline
 * levels (`inlineDepth`) are counted through a paragraph, outside fenced code.
 */
export function nestingProblem(text: string, limit = MAX_NESTING): NestingProblem | undefined {
  let line = 0
  let inline = 0
  let fence: string | undefined
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
    const rest = content.slice(i).replace(/[\r\n]+$/, '')
    const marker = FENCE.exec(rest)?.[1]
    if (fence !== undefined) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && rest.slice(marker.length).trim() === '') fence = undefined
      continue
    }
    if (marker) {
      fence = marker
      inline = 0
      continue
    }
    if (rest.trim() === '') {
      inline = 0
      continue
    }
    const found = inlineDepth(rest, inline, limit)
    if (found.column !== undefined) {
      return {
        line,
        column: i + found.column,
        reason: `emphasis, strikethrough and links nest more than ${limit} levels deep here, more than the Markdown stages can take; the page gets no body`,
      }
    }
    inline = found.depth
  }
  return undefined
}

/** Reports the file's nesting problem as an error (`nesting-too-deep`); true when there is one. */
export function reportTooDeep(file: VFile, limit = MAX_NESTING): boolean {
  const problem = nestingProblem(String(file.value), limit)
  if (problem) report(file, { ruleId: 'nesting-too-deep', reason: problem.reason, place: { line: problem.line, column: problem.column } })
  return problem !== undefined
}
