import type { Outcome } from '../render/outcome.js'
import type { FenceOptions } from '../markdown/options.js'

/** How a snippet is declared to end; the default is a clean exit. */
export type Expectation = Pick<FenceOptions, 'exit' | 'expect'>

/**
 * Whether an outcome is what the fence declared. A declared failure that
 * happens is a success for the build (and is cached like any result); one
 * that does not happen fails it.
 */
export function meetsExpectation(outcome: Outcome, { exit, expect }: Expectation): boolean {
  const exited = outcome.kind === 'ok' || outcome.kind === 'exit'
  switch (expect) {
    case 'timeout':
    case 'compile-error':
    case 'output-limit':
      return outcome.kind === expect
    case 'failure':
      return outcome.kind !== 'ok'
    default:
      if (exit === 'any') return exited
      if (exit === 'nonzero') return outcome.kind === 'exit'
      return exited && outcome.code === (exit ?? 0)
  }
}

/** "exit code 0", "a timeout"... for "(expected …)" in reports. */
export function describeExpectation({ exit, expect }: Expectation): string {
  switch (expect) {
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
