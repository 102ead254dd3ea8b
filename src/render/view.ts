/**
 * The output area as a neutral tree, so that the build (to hast) and the
 * browser (to DOM) render results by one set of rules. Strings are text,
 * never HTML. Imports nothing from Node and touches no DOM; it ships in the
 * browser's live runner, so it stays small.
 */
import type { ExecuteResponse } from '../execution/types.js'
import { parseAnsi } from './ansi.js'
import { describeOutcome, type Outcome } from './outcome.js'

export interface ViewNode {
  tag: 'div' | 'pre' | 'span' | 'p' | 'details' | 'summary'
  classes: string[]
  children: Array<ViewNode | string>
  /**
   * Words of ours (a label, the ending, a notice), not the author's or the
   * program's: `data-pagefind-ignore`, so that a site's search index (Pagefind,
   * which Starlight runs) holds the code and the output, never "stdout".
   */
  ours?: true
}

/** The value of a block's `data-rb-status`. */
export type BlockStatus = 'ok' | 'failed' | 'expected-failure' | 'skipped' | 'not-run'

export const node = (tag: ViewNode['tag'], classes: string[], children: ViewNode['children'], ours?: true): ViewNode => ({ tag, classes, children, ours })

/**
 * One stream in a `pre.rb-stream.rb-<name>` (stdin, stdout, stderr,
 * compiler), labelled with its name first (kept out of copied text by the
 * stylesheet). Terminal output becomes text and styled spans.
 */
export const streamView = (text: string, name: string): ViewNode =>
  node('pre', ['rb-stream', `rb-${name}`], [
    node('span', ['rb-label'], [name], true),
    ...parseAnsi(text).map(({ text, classes }) => (classes.length ? node('span', classes, [text]) : text)),
  ])

/**
 * The output area's contents: compiler output, stdout, stderr, then a status
 * line unless the run was clean; "(no output)" only when a clean run printed
 * nothing. `outcome` is the response's, passed in when the caller has it.
 */
export const outputView = (response: ExecuteResponse, outcome: Outcome = describeOutcome(response)): ViewNode => {
  const children: ViewNode[] = []
  if (response.compile?.output) children.push(streamView(response.compile.output, 'compiler'))
  // After a failed compile the run stage is absent or a copy of the compile stage.
  if (outcome.stage === 'run') for (const name of ['stdout', 'stderr'] as const) if (response.run[name]) children.push(streamView(response.run[name], name))
  if (outcome.kind === 'ok') {
    if (!children.length) children.push(node('p', ['rb-empty'], ['(no output)'], true))
  } else children.push(node('p', ['rb-status', `rb-status--${outcome.kind}`], [outcome.summary], true))
  return node('div', ['rb-result'], children)
}

/**
 * A message in place of a result: "not run: the engine was unreachable",
 * "rate limited"... `kind`, a word such as `not-run`, becomes the modifier
 * class `rb-notice--<kind>`.
 */
export const noticeView = (kind: string, text: string): ViewNode => node('p', ['rb-notice', `rb-notice--${kind}`], [text], true)

/**
 * A block's `data-rb-status`: without an outcome, a `skipped` notice means
 * skipped and anything else not run; a declared failure that happened is
 * shown calmly.
 */
export function blockStatus(outcome: Outcome | undefined, options: { noticeKind?: string; expectedFailure?: boolean } = {}): BlockStatus {
  if (!outcome) return options.noticeKind === 'skipped' ? 'skipped' : 'not-run'
  if (outcome.kind === 'ok') return 'ok'
  return options.expectedFailure ? 'expected-failure' : 'failed'
}
