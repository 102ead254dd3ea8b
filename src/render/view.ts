/**
 * The output area as a neutral tree, so that the build (to hast) and the
 * browser (to DOM) render results by one set of rules. Strings are text,
 * never HTML. Imports nothing from Node and touches no DOM.
 */
import type { ExecuteResponse } from '../execution/types.js'
import { parseAnsi } from './ansi.js'
import { describeOutcome, type Outcome, type OutcomeContext } from './outcome.js'

export interface ViewNode {
  tag: 'div' | 'pre' | 'span' | 'p' | 'code' | 'strong'
  className: string[]
  attributes?: Record<string, string>
  children: Array<ViewNode | string>
}

/** The value of a block's `data-rb-status`. */
export type BlockStatus = 'ok' | 'failed' | 'expected-failure' | 'skipped' | 'not-run'

const node = (tag: ViewNode['tag'], className: string[], children: ViewNode['children']): ViewNode => ({
  tag,
  className,
  children,
})

/** Terminal output as text and styled spans. */
export function ansiChildren(text: string): ViewNode['children'] {
  return parseAnsi(text).map(({ text, classes }) => (classes.length ? node('span', classes, [text]) : text))
}

/**
 * One stream in a `pre.rb-stream.<className>`, with a small label first
 * (visually hidden when `hideLabel`); the stylesheet keeps labels out of
 * copied text.
 */
export function streamView(text: string, className: string, label: string, hideLabel = false): ViewNode {
  const labelClasses = hideLabel ? ['rb-label', 'rb-visually-hidden'] : ['rb-label']
  return node('pre', ['rb-stream', className], [node('span', labelClasses, [label]), ...ansiChildren(text)])
}

/** The status line for an outcome that is not a clean exit. */
export function statusView(outcome: Outcome): ViewNode {
  return node('p', ['rb-status', `rb-status--${outcome.kind}`], [outcome.summary])
}

/**
 * The output area's contents: compiler output, stdout, stderr, then the
 * status line; "(no output)" only when a clean run printed nothing.
 */
export function outputView(response: ExecuteResponse, context?: OutcomeContext): ViewNode {
  const outcome = describeOutcome(response, context)
  const children: ViewNode[] = []
  if (response.compile?.output) children.push(streamView(response.compile.output, 'rb-compile', 'compiler'))
  // After a failed compile the run stage is absent or a copy of the compile stage.
  if (outcome.stage === 'run') {
    const { stdout, stderr } = response.run
    // stdout is the expected stream: its label is for screen readers only.
    if (stdout) children.push(streamView(stdout, 'rb-stdout', 'stdout', true))
    if (stderr) children.push(streamView(stderr, 'rb-stderr', 'stderr'))
  }
  if (outcome.kind !== 'ok') children.push(statusView(outcome))
  else if (children.length === 0) children.push(node('p', ['rb-empty'], ['(no output)']))
  return node('div', ['rb-result'], children)
}

/**
 * A message in place of a result: "not run: the engine was unreachable",
 * "rate limited"... `kind` becomes the modifier class `rb-notice--<kind>`.
 */
export function noticeView(kind: string, text: string): ViewNode {
  const modifier = kind.toLowerCase().replace(/[^a-z0-9-]+/g, '-')
  return node('p', ['rb-notice', `rb-notice--${modifier}`], [text])
}

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
