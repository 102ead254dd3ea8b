import type { VFile } from 'vfile'
import type { VFileMessage } from 'vfile-message'
import type { SnippetRecord } from '../markdown/plugin.js'
import { terminalSafe } from './terminal-text.js'

/** A message's severity by vfile's convention: fatal true, false or undefined. */
export function severity(message: VFileMessage): 'error' | 'warning' | 'note' {
  return message.fatal ? 'error' : message.fatal === false ? 'warning' : 'note'
}

/** `content/post.md:12:1`, or the path alone when the line is not known (never a made-up line). */
const placeOf = (path: string, at: { line?: number; column?: number }) => (at.line === undefined ? path : `${path}:${at.line}:${at.column ?? 1}`)

/** `content/post.md:12:1: error  reason  [rule]`, then the note indented; safe for a terminal. */
function formatMessage(file: VFile, message: VFileMessage): string {
  // A file given as text alone has no path (unified's `process(string)`).
  const where = placeOf(file.path ?? '<input>', message)
  const head = `${where}: ${severity(message)}  ${message.reason}${message.ruleId ? `  [${message.ruleId}]` : ''}`
  const note = message.note ? '\n' + message.note.split('\n').map((l) => `    ${l}`).join('\n') : ''
  return terminalSafe(head + note)
}

/** Every message of every file, in file then line order. */
export function formatMessages(files: VFile[]): string[] {
  return files.flatMap((file) =>
    [...file.messages]
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
      .map((m) => formatMessage(file, m)),
  )
}

/** Fences and programs are counted apart: identical fences share one program, run once. */
export interface Tally {
  /** Run, skipped and build-only fences. */
  snippets: number
  passed: number
  failed: number
  skipped: number
  /** Fences only the site's build can run (template syntax the CLI cannot fill in). */
  buildOnly: number
  /** Distinct programs with a result, and where each result came from; or missing from a frozen build's cache. */
  programs: number
  cached: number
  ran: number
  missing: number
  errors: number
  warnings: number
  notes: number
}

export function tally(files: VFile[]): Tally {
  const records: SnippetRecord[] = files.flatMap((f) => f.data.snippets ?? [])
  const count = (status: SnippetRecord['status']) => records.filter((r) => r.status === status).length
  const programs = new Map(records.flatMap((r) => (r.program ? [[r.program.key, r.program.source] as const] : [])))
  const messages = files.flatMap((f) => f.messages)
  const bySeverity = (s: ReturnType<typeof severity>) => messages.filter((m) => severity(m) === s).length
  return {
    snippets: records.length,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    buildOnly: count('build-only'),
    programs: programs.size,
    cached: [...programs.values()].filter((source) => source === 'cache').length,
    ran: [...programs.values()].filter((source) => source === 'ran').length,
    missing: [...programs.values()].filter((source) => source === 'missing').length,
    errors: bySeverity('error'),
    warnings: bySeverity('warning'),
    notes: bySeverity('note'),
  }
}

/**
 * `12 snippets: 10 passed, 1 failed, 1 skipped; 9 programs: 7 cached, 2 ran`, with the build-only
 * fences when any (`…, 1 skipped, 2 left to the site's build; …`), the programs a frozen build found
 * no result for (`…, 0 ran, 3 missing`), plus errors, warnings and notes when any.
 */
export function summaryLine(t: Tally): string {
  const problems = [t.errors && plural(t.errors, 'error'), t.warnings && plural(t.warnings, 'warning'), t.notes && plural(t.notes, 'note')].filter(Boolean)
  const buildOnly = t.buildOnly ? `, ${t.buildOnly} left to the site's build` : ''
  return `${plural(t.snippets, 'snippet')}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped${buildOnly}; ${plural(t.programs, 'program')}: ${t.cached} cached, ${t.ran} ran${t.missing ? `, ${t.missing} missing` : ''}${problems.length ? ` (${problems.join(', ')})` : ''}`
}

/** For --verbose: each fence whose program ran in this build (not from the cache), by place and name; safe for a terminal. */
export function ranLines(files: VFile[]): string[] {
  return files.flatMap((file) =>
    (file.data.snippets ?? [])
      .filter((r) => r.program?.source === 'ran')
      .map((r) => terminalSafe(`${placeOf(file.path, r)}: ran  ${r.language} snippet${r.title ? ` "${r.title}"` : ''}`)),
  )
}

export function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`
}
