import type { VFile } from 'vfile'
import type { VFileMessage } from 'vfile-message'
import type { SnippetRecord } from '../markdown/plugin.js'
import { terminalSafe } from './terminal-text.js'

/** `content/post.md:12:1: error  reason  [rule]`, then the note indented; safe for a terminal. */
function formatMessage(file: VFile, message: VFileMessage): string {
  const where = `${file.path}:${message.line ?? 1}:${message.column ?? 1}`
  const head = `${where}: ${message.fatal ? 'error' : 'warning'}  ${message.reason}${message.ruleId ? `  [${message.ruleId}]` : ''}`
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

export interface Tally {
  snippets: number
  cached: number
  ran: number
  failed: number
  skipped: number
  errors: number
  warnings: number
}

export function tally(files: VFile[]): Tally {
  const records: SnippetRecord[] = files.flatMap((f) => f.data.snippets ?? [])
  const count = (status: SnippetRecord['status']) => records.filter((r) => r.status === status).length
  const messages = files.flatMap((f) => f.messages)
  return {
    snippets: records.length,
    cached: count('cached'),
    ran: count('ran'),
    failed: count('failed'),
    skipped: count('skipped'),
    errors: messages.filter((m) => m.fatal).length,
    warnings: messages.filter((m) => !m.fatal).length,
  }
}

/** `12 snippets: 9 cached, 2 ran, 1 failed, 0 skipped` plus errors and warnings when any. */
export function summaryLine(t: Tally): string {
  const problems = [t.errors && plural(t.errors, 'error'), t.warnings && plural(t.warnings, 'warning')].filter(Boolean)
  return `${plural(t.snippets, 'snippet')}: ${t.cached} cached, ${t.ran} ran, ${t.failed} failed, ${t.skipped} skipped${problems.length ? ` (${problems.join(', ')})` : ''}`
}

export function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`
}
