import type { Outcome, OutcomeKind } from '../render/outcome.js'

/**
 * How a snippet is declared to end (a fence's `exit` and `expect` options);
 * the default is a clean exit. Declared here, not taken from the fence
 * options, so that the browser script, which judges live runs with this
 * module, never reaches the fence parser's Node code.
 */
export interface Expectation {
  /** Expected exit code (0..255); absent means whatever `expect` implies. */
  exit?: number | 'nonzero' | 'any'
  /** Expected ending; absent means success unless `exit` says otherwise. */
  expect?: 'success' | 'failure' | 'timeout' | 'compile-error' | 'output-limit' | 'any'
}

/**
 * The outcomes a fence accepts, as tokens: an outcome kind (`timeout`), or a
 * kind and exit code (`exit:3`). Baked as `data-rb-expect` too, so that the
 * browser judges a live run by this same rule (`acceptsOutcome`).
 */
export function acceptedOutcomes({ exit, expect }: Expectation): string[] {
  switch (expect) {
    case 'timeout':
    case 'compile-error':
    case 'output-limit':
      return [expect]
    case 'failure':
    case 'any': {
      // Every kind (but ok for a failure); the type check keeps the list complete.
      const kinds = Object.keys({
        exit: 0,
        signal: 0,
        timeout: 0,
        'output-limit': 0,
        'compile-error': 0,
        'internal-error': 0,
      } satisfies Record<Exclude<OutcomeKind, 'ok'>, 0>)
      return expect === 'any' ? ['ok', ...kinds] : kinds
    }
    default:
      if (exit === 'any') return ['ok', 'exit']
      if (exit === 'nonzero') return ['exit']
      return exit ? [`exit:${exit}`] : ['ok']
  }
}

/**
 * Whether an outcome is among the accepted ones. Ships in the browser's live
 * runner, so this module imports nothing from Node.
 */
export const acceptsOutcome = ({ kind, code }: Outcome, accepted: string[]): boolean =>
  accepted.includes(kind) || accepted.includes(`${kind}:${code}`)

/**
 * Whether an outcome is what the fence declared. A declared failure that
 * happens is a success for the build (and is cached like any result); one
 * that does not happen fails it.
 */
export function meetsExpectation(outcome: Outcome, expectation: Expectation): boolean {
  return acceptsOutcome(outcome, acceptedOutcomes(expectation))
}

/**
 * "exit code 0", "a timeout"... for "(expected …)" in reports. Given the
 * outcome that missed, says what would have accepted a run that ended
 * without an exit code, which no `exit=` accepts.
 */
export function describeExpectation({ exit, expect }: Expectation, missed?: Outcome): string {
  if (expect === undefined && (exit === 'any' || exit === 'nonzero') && missed && ['timeout', 'output-limit', 'signal'].includes(missed.kind)) {
    const own = missed.kind === 'timeout' || missed.kind === 'output-limit' ? ` (or expect=${missed.kind})` : ''
    return `${exit === 'any' ? 'any' : 'a non-zero'} exit code, but a killed run has none: expect=any${own} accepts it`
  }
  switch (expect) {
    case 'any':
      return 'any ending'
    case 'timeout':
      return 'a timeout'
    case 'compile-error':
      return 'a compile error'
    case 'output-limit':
      return 'the output limit to be hit'
    case 'failure':
      return 'a failure'
    default:
      if (exit === 'any') return 'any exit code'
      if (exit === 'nonzero') return 'a non-zero exit code'
      return `exit code ${exit ?? 0}`
  }
}

/** True when the fence declares that the snippet does not exit cleanly. */
export function expectsFailure({ exit, expect }: Expectation): boolean {
  return (expect !== undefined && expect !== 'success') || (exit !== undefined && exit !== 0)
}
