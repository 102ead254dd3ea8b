import { describe, expect, it } from 'vitest'
import { acceptedOutcomes, acceptsOutcome, describeExpectation, type Expectation, expectsFailure, meetsExpectation } from '../../src/check/expectations.js'
import type { Outcome, OutcomeKind } from '../../src/render/outcome.js'

const outcome = (kind: OutcomeKind, code: number | null = null): Outcome =>
  ({ kind, stage: kind === 'compile-error' ? 'compile' : 'run', code, signal: null, summary: '' }) as Outcome

describe('meetsExpectation', () => {
  const cases: Array<[Expectation, Outcome, boolean]> = [
    [{}, outcome('ok', 0), true],
    [{}, outcome('exit', 1), false],
    [{ exit: 0 }, outcome('ok', 0), true],
    [{ exit: 3 }, outcome('exit', 3), true],
    [{ exit: 3 }, outcome('exit', 4), false],
    [{ exit: 3 }, outcome('ok', 0), false],
    [{ exit: 'nonzero' }, outcome('exit', 9), true],
    [{ exit: 'nonzero' }, outcome('ok', 0), false],
    [{ exit: 'nonzero' }, outcome('timeout'), false],
    [{ exit: 'any' }, outcome('ok', 0), true],
    [{ exit: 'any' }, outcome('exit', 2), true],
    [{ exit: 'any' }, outcome('signal'), false],
    [{ expect: 'success' }, outcome('ok', 0), true],
    [{ expect: 'failure' }, outcome('signal'), true],
    [{ expect: 'failure' }, outcome('ok', 0), false],
    [{ expect: 'timeout' }, outcome('timeout'), true],
    [{ expect: 'timeout' }, outcome('output-limit'), false],
    [{ expect: 'output-limit' }, outcome('output-limit'), true],
    [{ expect: 'compile-error' }, outcome('compile-error', 1), true],
    [{ expect: 'compile-error' }, outcome('ok', 0), false],
    [{ expect: 'any' }, outcome('ok', 0), true],
    [{ expect: 'any' }, outcome('exit', 4), true],
    [{ expect: 'any' }, outcome('output-limit'), true],
    [{ expect: 'any' }, outcome('timeout'), true],
  ]
  it.each(cases)('%j with %j → %s', (expectation, result, ok) => {
    expect(meetsExpectation(result, expectation)).toBe(ok)
  })

  it('bakes the accepted outcomes as tokens the browser matches the same way', () => {
    expect(acceptedOutcomes({})).toEqual(['ok'])
    expect(acceptedOutcomes({ exit: 3 })).toEqual(['exit:3'])
    expect(acceptedOutcomes({ exit: 'any' })).toEqual(['ok', 'exit'])
    expect(acceptedOutcomes({ expect: 'failure' }).sort()).toEqual(['compile-error', 'exit', 'internal-error', 'output-limit', 'signal', 'timeout'])
    // Through the space-separated attribute and back.
    const accepted = acceptedOutcomes({ exit: 3 }).join(' ').split(' ')
    expect(acceptsOutcome(outcome('exit', 3), accepted)).toBe(true)
    expect(acceptsOutcome(outcome('exit', 33), accepted)).toBe(false)
  })

  it('says what would accept a killed run when exit=any or exit=nonzero meets one', () => {
    expect(describeExpectation({ exit: 'any' }, outcome('output-limit'))).toBe(
      'any exit code, but a killed run has none: expect=any (or expect=output-limit) accepts it',
    )
    expect(describeExpectation({ exit: 'nonzero' }, outcome('timeout'))).toBe(
      'a non-zero exit code, but a killed run has none: expect=any (or expect=timeout) accepts it',
    )
    expect(describeExpectation({ exit: 'any' }, outcome('signal'))).toBe('any exit code, but a killed run has none: expect=any accepts it')
    expect(describeExpectation({ exit: 3 }, outcome('timeout'))).toBe('exit code 3')
  })

  it('describes expectations and knows which are failures', () => {
    expect(describeExpectation({})).toBe('exit code 0')
    expect(describeExpectation({ exit: 'nonzero' })).toBe('a non-zero exit code')
    expect(describeExpectation({ expect: 'compile-error' })).toBe('a compile error')
    expect(describeExpectation({ expect: 'any' })).toBe('any ending')
    expect(expectsFailure({})).toBe(false)
    expect(expectsFailure({ exit: 0 })).toBe(false)
    expect(expectsFailure({ expect: 'success' })).toBe(false)
    expect(expectsFailure({ exit: 'any' })).toBe(true)
    expect(expectsFailure({ expect: 'timeout' })).toBe(true)
  })
})
