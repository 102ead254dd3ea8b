import type { TemplateCallRecord } from '../host.js'
import type { TemplateCall } from './template-calls.js'

/**
 * The paired shortcode `{% codeRunner "Title", "python", true %}…{% endcodeRunner %}`:
 * its arguments checked like a fence's options, the fence it stands for, and
 * the placeholders by which its block crosses a Markdown page untouched.
 */

/** A call's arguments once checked: `problems` name the argument (0-based `index`) that is wrong. */
export interface ShortcodeArgs {
  title?: string
  language?: string
  /** False shows the block without running it (`skip`). Default true. */
  run: boolean
  problems: Array<{ index: number; reason: string }>
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth']
const ordinal = (index: number) => ORDINALS[index] ?? `${index + 1}th`
const shown = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : String(value))

/** Checks `(title, language, run)` as fence options are checked: each problem names its argument. */
export function shortcodeArgs(args: readonly unknown[]): ShortcodeArgs {
  const [title, language, run = true] = args
  const problems: ShortcodeArgs['problems'] = []
  const checked: ShortcodeArgs = { run: run === true, problems }
  if (title !== undefined && title !== null && typeof title !== 'string') problems.push({ index: 0, reason: `the shortcode's first argument, the title, must be a string, got ${shown(title)}` })
  else if (title) checked.title = title
  if (language === undefined || language === null || language === '')
    problems.push({ index: 1, reason: `the shortcode's second argument, the language, is missing: {% codeRunner "Title", "python" %}` })
  else if (typeof language !== 'string' || !/^[\w+#.-]+$/.test(language))
    problems.push({ index: 1, reason: `the shortcode's second argument, the language, must be a language name, got ${shown(language)}` })
  else checked.language = language
  if (typeof run !== 'boolean') {
    const hint = run === 'true' || run === 'false' ? ` (a string: write ${run} without quotes)` : ''
    problems.push({ index: 2, reason: `the shortcode's third argument, run, must be true or false, got ${shown(run)}${hint}` })
  }
  if (args.length > 3) problems.push({ index: 3, reason: `the shortcode takes 3 arguments (title, language, run); the ${ordinal(3)}, ${shown(args[3])}, is one too many` })
  return checked
}

const quoted = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`

/** The program a call's body stands for: the body from after the opening tag's line break to before the closing tag's line. */
export function shortcodeCode(content: string): string {
  return String(content).replace(/^\r?\n/, '').replace(/\r?\n[ \t]*$/, '')
}

/**
 * The fence a call stands for, so its body runs with the same cache key and
 * renders as the same block as the equivalent fence; its first line is the
 * call's opening tag.
 */
export function shortcodeFence(code: string, { title, language, run }: { title?: string; language: string; run: boolean }): string {
  const ticks = '`'.repeat(Math.max(3, ...[...code.matchAll(/`{3,}/g)].map((m) => m[0].length + 1)))
  const meta = [language, run ? 'run' : 'skip', title ? `title=${quoted(title)}` : ''].filter(Boolean).join(' ')
  return `${ticks}${meta}\n${code}\n${ticks}`
}

/**
 * What the host needs to run (or refuse) one call: the fence it stands for,
 * where it is written (`at.call`: the written call, when it is known), and
 * each problem of its arguments at that argument.
 */
export function shortcodeCall(args: readonly unknown[], content: string, at: { path: string; call?: TemplateCall }): TemplateCallRecord {
  const { title, language, run, problems } = shortcodeArgs(args)
  const code = shortcodeCode(content)
  return {
    path: at.path,
    line: at.call?.line,
    codeLine: at.call?.codeLine,
    fence: language ? shortcodeFence(code, { title, language, run }) : '',
    shown: { language: language ?? '', title, code },
    problems: problems.map(({ index, reason }) => {
      const where = at.call?.args[index] ?? at.call
      return { reason, line: where?.line, column: where?.column }
    }),
  }
}

// Rendered blocks waiting for their page's Markdown to be rendered, by placeholder number.
const waiting = new Map<number, string>()
let placed = 0

/**
 * Holds a block for a Markdown page: the shortcode returns the placeholder, a
 * comment on lines of its own, which any Markdown library leaves alone (an
 * HTML block of its own, even right after an HTML line, or escaped text when
 * raw HTML is off), and `fillShortcodeBlocks` puts the block back.
 */
export function holdBlock(html: string): { placeholder: string; id: number } {
  const id = ++placed
  waiting.set(id, html)
  return { placeholder: `\n\n<!--rb-block:${id}-->\n\n`, id }
}

/** Forgets blocks held for a build that is over. */
export function releaseBlocks(ids: Iterable<number>): void {
  for (const id of ids) waiting.delete(id)
}

// Raw, or escaped by a library with raw HTML off (its typographer may make `--` a dash), alone in a paragraph or not.
const PLACEHOLDER = /(<p>)?(?:<!--rb-block:(\d+)-->|&lt;!(?:--|\u2013)rb-block:(\d+)(?:--|\u2013)&gt;)(<\/p>)?/g

/** Replaces every shortcode placeholder in a page's rendered HTML by its block. */
export function fillShortcodeBlocks(html: string): string {
  if (!waiting.size || !html.includes('rb-block:')) return html
  return html.replace(PLACEHOLDER, (match, open: string | undefined, raw: string | undefined, escaped: string | undefined, close: string | undefined) => {
    const block = waiting.get(Number(raw ?? escaped))
    if (block === undefined) return match
    // The paragraph a library wrapped the escaped placeholder in goes with it.
    return open && close ? block : `${open ?? ''}${block}${close ?? ''}`
  })
}
