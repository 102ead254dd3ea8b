import { describe, expect, it } from 'vitest'
import { describeOutcome, formatDuration } from '../../src/render/outcome.js'
import { recording, response, stage, withoutTiming } from './recordings.js'

const CAP_KILL = /^killed: the output most likely exceeded the server's limit of 1024 characters \(the server does not say why\)$/
const AMBIGUOUS = 'killed: the output limit (1024 characters) or the time limit (3 s) was exceeded (the server does not say which)'

describe('describeOutcome: exits', () => {
  it('a clean exit is ok with no words', () => {
    expect(describeOutcome(recording('python-markup-and-ansi').response)).toEqual({
      kind: 'ok',
      stage: 'run',
      code: 0,
      signal: null,
      summary: '',
    })
  })

  it.each([
    ['python-exit-3', 3],
    ['bash-exit-42', 42],
  ] as const)('%s exits with code %i', (name, code) => {
    expect(describeOutcome(recording(name).response)).toEqual({
      kind: 'exit',
      stage: 'run',
      code,
      signal: null,
      summary: `exited with code ${code}`,
    })
  })

  it('a full but clean stdout is not a limit', () => {
    expect(describeOutcome(recording('python-output-cap-exact-1024').response).kind).toBe('ok')
  })

  it('a signal other than SIGKILL is reported as such', () => {
    expect(describeOutcome(response({ code: null, signal: 'SIGSEGV' }))).toEqual({
      kind: 'signal',
      stage: 'run',
      code: null,
      signal: 'SIGSEGV',
      summary: 'killed by signal SIGSEGV',
    })
  })
})

describe('describeOutcome: timeouts (Piston 3.1.1, no status)', () => {
  it('python-timeout: the client measured ~3 s', () => {
    const outcome = describeOutcome(recording('python-timeout').response)
    expect(outcome).toEqual({
      kind: 'timeout',
      stage: 'run',
      code: null,
      signal: 'SIGKILL',
      summary: 'stopped after 3 s: the time limit',
    })
  })

  it('python-run-timeout-1000: a lowered limit from the request', () => {
    const { response: r, runTimeout } = recording('python-run-timeout-1000')
    expect(describeOutcome(r, { timeoutMs: runTimeout })).toMatchObject({
      kind: 'timeout',
      summary: 'stopped after 1 s: the time limit',
    })
  })

  it("the server's wall_time wins over the client's elapsed_ms", () => {
    const r = response({ code: null, signal: 'SIGKILL', wall_time: 2950 }, { elapsed_ms: 100 })
    expect(describeOutcome(r).kind).toBe('timeout')
    const quick = response({ code: null, signal: 'SIGKILL', wall_time: 40 }, { elapsed_ms: 2990 })
    expect(describeOutcome(quick).kind).toBe('output-limit')
  })

  it('formats the limit', () => {
    const r = response({ code: null, signal: 'SIGKILL', wall_time: 1500 })
    expect(describeOutcome(r, { timeoutMs: 1500 }).summary).toBe('stopped after 1.5 s: the time limit')
    expect(describeOutcome(r, { timeoutMs: 500 }).summary).toBe('stopped after 500 ms: the time limit')
    expect([3000, 1500, 500, 10_000, 1234].map(formatDuration)).toEqual(['3 s', '1.5 s', '500 ms', '10 s', '1.23 s'])
  })

  it('without timing, a kill with little output is admitted to be ambiguous, without naming the output limit', () => {
    expect(describeOutcome(withoutTiming(recording('python-timeout').response))).toMatchObject({
      kind: 'signal',
      signal: 'SIGKILL',
      summary: 'killed: the time limit (3 s) or the server ended it (it does not say which)',
    })
  })
})

describe('describeOutcome: the output cap (Piston 3.1.1, no status)', () => {
  it('python-output-cap-one-chunk: empty stdout, killed after 57 ms', () => {
    const outcome = describeOutcome(recording('python-output-cap-one-chunk').response)
    expect(outcome).toMatchObject({ kind: 'output-limit', stage: 'run', code: null, signal: 'SIGKILL' })
    expect(outcome.stream).toBeUndefined()
    expect(outcome.summary).toMatch(CAP_KILL)
  })

  it('python-output-cap-one-chunk without timing: empty output says both limits', () => {
    expect(describeOutcome(withoutTiming(recording('python-output-cap-one-chunk').response))).toMatchObject({
      kind: 'signal',
      summary: AMBIGUOUS,
    })
  })

  it('bash-output-cap-lines: cut mid-stream, killed after 30 ms', () => {
    expect(describeOutcome(recording('bash-output-cap-lines').response)).toMatchObject({ kind: 'output-limit', summary: expect.stringMatching(CAP_KILL) })
  })

  it('python-stderr-cap: stdout survives, stderr is empty: 3 characters are far from the cap, so it is not named', () => {
    const outcome = describeOutcome(recording('python-stderr-cap').response)
    expect(outcome).toMatchObject({ kind: 'signal', summary: 'killed by SIGKILL (the server does not say why)' })
  })

  it('names the cap for a quick kill only when the output came near it (a busy server kills after 80 characters too)', () => {
    const quick = (stdout: string) => describeOutcome(response({ stdout, output: stdout, code: null, signal: 'SIGKILL' }, { elapsed_ms: 40 }))
    const lines = (length: number) => 'x\n'.repeat(length / 2)
    for (const length of [80, 120, 310]) expect(quick(lines(length))).toMatchObject({ kind: 'signal', summary: 'killed by SIGKILL (the server does not say why)' })
    expect(quick(lines(764)).summary).toMatch(CAP_KILL)
    expect(quick('').summary).toMatch(CAP_KILL)
  })

  it('a stream within a line of the cap is the one that hit it, even without timing', () => {
    const lines = Array.from({ length: 120 }, (_, i) => `line ${String(i).padStart(3, '0')}\n`).join('') // 9 chars each
    const stdout = lines.slice(0, 1017) // 7 chars short of 1024: no room for another line
    expect(describeOutcome(response({ stdout, code: null, signal: 'SIGKILL' }))).toEqual({
      kind: 'output-limit',
      stage: 'run',
      code: null,
      signal: 'SIGKILL',
      stream: 'stdout',
      summary: "killed: stdout exceeded the server's limit of 1024 characters",
    })
    expect(describeOutcome(response({ stderr: 'E'.repeat(1000), code: null, signal: 'SIGKILL' }))).toMatchObject({
      stream: 'stderr',
      summary: "killed: stderr exceeded the server's limit of 1024 characters",
    })
  })

  it('uses the configured cap', () => {
    const r = response({ stdout: 'x'.repeat(60), code: null, signal: 'SIGKILL' })
    expect(describeOutcome(r, { outputMaxSize: 64 })).toMatchObject({
      stream: 'stdout',
      summary: "killed: stdout exceeded the server's limit of 64 characters",
    })
  })
})

describe('describeOutcome: newer servers send status', () => {
  it.each([
    ['TO', { kind: 'timeout', summary: 'stopped after 3 s: the time limit' }],
    ['OL', { kind: 'output-limit', stream: 'stdout', summary: "killed: stdout exceeded the server's limit of 1024 characters" }],
    ['EL', { kind: 'output-limit', stream: 'stderr', summary: "killed: stderr exceeded the server's limit of 1024 characters" }],
  ] as const)('%s', (status, expected) => {
    // Timing that points the other way shows that status wins.
    const wall_time = status === 'TO' ? 10 : 2999
    expect(describeOutcome(response({ code: null, signal: 'SIGKILL', status, wall_time }))).toMatchObject(expected)
  })

  it('SG and RE are what signal and code say', () => {
    expect(describeOutcome(response({ code: null, signal: 'SIGSEGV', status: 'SG' })).summary).toBe('killed by signal SIGSEGV')
    expect(describeOutcome(response({ code: 1, status: 'RE' })).summary).toBe('exited with code 1')
  })

  it('XX is an internal error with the server message', () => {
    expect(describeOutcome(response({ code: null, status: 'XX', message: 'spawn failed' }))).toMatchObject({
      kind: 'internal-error',
      summary: 'internal error: spawn failed',
    })
  })

  it('neither code nor signal is an internal error', () => {
    expect(describeOutcome(response({ code: null }))).toMatchObject({
      kind: 'internal-error',
      summary: 'internal error: the server reported neither an exit code nor a signal',
    })
  })
})

describe('describeOutcome: compile stage', () => {
  const compileError = stage({ stderr: "main.c:1:1: error: unknown type name 'x'\n", code: 1 })

  it('a failed compile stage wins, also over a copy in run', () => {
    const r = response({}, { language: 'c', compile: compileError })
    r.run = { ...compileError }
    expect(describeOutcome(r)).toEqual({
      kind: 'compile-error',
      stage: 'compile',
      code: 1,
      signal: null,
      summary: 'compile error (exit code 1)',
    })
  })

  it('a compile timeout uses the compile limit', () => {
    const r = response({}, { compile: stage({ code: null, signal: 'SIGKILL', wall_time: 10_010 }) })
    expect(describeOutcome(r)).toMatchObject({
      kind: 'timeout',
      stage: 'compile',
      summary: 'compilation stopped after 10 s: the time limit',
    })
    expect(describeOutcome(r, { compileTimeoutMs: 20_000 }).kind).toBe('output-limit')
  })

  it('a successful compile leaves the run stage to speak', () => {
    const r = response({ code: 2 }, { compile: stage({ stderr: 'warning: unused variable\n' }) })
    expect(describeOutcome(r)).toMatchObject({ kind: 'exit', stage: 'run', code: 2 })
  })

  it("elapsed_ms covers the compile stage too, so it cannot prove the run's timeout", () => {
    const killed = { code: null, signal: 'SIGKILL' }
    expect(describeOutcome(response(killed, { compile: stage({}), elapsed_ms: 2900 }))).toMatchObject({ kind: 'signal', summary: AMBIGUOUS })
    // ...but an upper bound below the limit still rules the timeout out.
    expect(describeOutcome(response(killed, { compile: stage({}), elapsed_ms: 500 })).kind).toBe('output-limit')
  })
})
