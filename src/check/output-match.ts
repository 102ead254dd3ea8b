import { diff } from '../lazy-packages.js'

export type MatchMode = 'exact' | 'contains' | 'regex' | 'unordered'

/** CRLF to LF, no trailing whitespace on any line, no trailing blank lines. */
export function normalizeOutput(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n+$/, '')
}

/**
 * Compares a program's stdout with the `output` fence that follows it.
 * Returns undefined when they match, else a readable unified diff (or, for
 * `regex`, a sentence: a diff against a pattern helps nobody).
 */
export function matchOutput(actual: string, expected: string, mode: MatchMode): string | undefined {
  const a = normalizeOutput(actual)
  const e = normalizeOutput(expected)
  switch (mode) {
    case 'exact':
      return a === e ? undefined : unifiedDiff(e, a)
    case 'contains':
      return a.includes(e) ? undefined : unifiedDiff(e, a)
    case 'unordered': {
      const sorted = (text: string) => text.split('\n').sort().join('\n')
      return sorted(a) === sorted(e) ? undefined : unifiedDiff(sorted(e), sorted(a))
    }
    case 'regex':
      return new RegExp(e, 'm').test(a) ? undefined : `stdout does not match /${e}/m:\n${indent(a)}`
  }
}

/** The regex of an `output match=regex` fence, or why it is not one. */
export function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(normalizeOutput(pattern), 'm')
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}

function unifiedDiff(expected: string, actual: string): string {
  const patch = diff().createTwoFilesPatch('expected', 'actual', expected + '\n', actual + '\n', '', '', { context: 3 })
  // Drop the "Index:"/"===" preamble; keep ---/+++ and the hunks.
  return patch.split('\n').filter((line, i) => i > 1 || !/^(Index:|=+$)/.test(line)).join('\n').trimEnd()
}

function indent(text: string): string {
  return text.split('\n').map((line) => `  ${line}`).join('\n')
}
