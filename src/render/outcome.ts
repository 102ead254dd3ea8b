/**
 * How a run ended, in words. Shared by the build (reports, baked HTML) and the
 * browser (live re-runs), so it imports nothing from Node.
 */
import type { ExecuteResponse } from '../execution/types.js'

export type OutcomeKind =
  | 'ok'
  | 'exit'
  | 'signal'
  | 'timeout'
  | 'output-limit'
  | 'compile-error'
  | 'internal-error'

export interface Outcome {
  kind: OutcomeKind
  stage: 'run' | 'compile'
  code: number | null
  signal: string | null
  /** The stream that hit the output limit, when known. */
  stream?: 'stdout' | 'stderr'
  /** Lower-case words for a status line; "" for a clean exit. */
  summary: string
}

/** The limits the job ran under; Piston's defaults when absent. */
export interface OutcomeContext {
  timeoutMs?: number
  compileTimeoutMs?: number
  outputMaxSize?: number
}

export const DEFAULT_RUN_TIMEOUT_MS = 3000
export const DEFAULT_COMPILE_TIMEOUT_MS = 10_000
export const DEFAULT_OUTPUT_MAX_SIZE = 1024

/**
 * A SIGKILL this close to the time limit is the timeout: the server kills at
 * the limit, and an output-cap kill at the very end of the window is rare.
 */
const TIMEOUT_FRACTION = 0.9

/** 3000 → "3 s", 1500 → "1.5 s", 500 → "500 ms". */
export const formatDuration = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${+(ms / 1000).toFixed(2)} s`)

/*
 * This file is bundled into the browser's live-runner script, whose size is
 * held to a budget (test/browser/bundle.test.ts): one function with shared
 * local words minifies far better than helpers passing a limits object.
 */

/**
 * A clean exit with no output at all, from a server that gives no `status`:
 * under load, Piston 3.1.1 answers so for a program it killed, so this is
 * not a result until confirmed (the build runs the job again alone; the
 * browser says so).
 */
export const isUnconfirmed = ({ compile, run }: ExecuteResponse): boolean =>
  run.status === undefined && run.code === 0 && run.signal == null && !run.stdout && !run.stderr && !compile?.code

/**
 * An answer a server without `status` may have cut short: a kill or a
 * non-zero exit with no output at all. Piston 3.1.1 drops the output chunk
 * that passes its cap and may still report the program's own exit code (a
 * sqlite3 error came back as exit 1 and nothing, a bash one as exit 127).
 */
export const mayHaveLostOutput = ({ run }: ExecuteResponse): boolean =>
  run.status === undefined && !run.stdout && !run.stderr && (run.signal != null || (run.code != null && run.code !== 0))

/** Killed by a signal (a limit, or the server), in either stage. */
export const wasKilled = ({ compile, run }: ExecuteResponse): boolean => run.signal != null || compile?.signal != null

/** Describes a response; a failed compile stage wins over the run stage. */
export const describeOutcome = (response: ExecuteResponse, context: OutcomeContext = {}): Outcome => {
  const cap = context.outputMaxSize ?? DEFAULT_OUTPUT_MAX_SIZE
  const { compile, run, elapsed_ms: elapsedMs } = response
  // A failed compile stage means there was no real run (older servers copy it into `run`).
  const compiled = compile && (compile.code !== 0 || compile.signal != null || compile.status != null)
  const stage = compiled ? compile : run
  const { code, signal, status, wall_time: wallTime } = stage
  const timeoutMs = compiled ? (context.compileTimeoutMs ?? DEFAULT_COMPILE_TIMEOUT_MS) : (context.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS)
  const time = formatDuration(timeoutMs)
  const limit = `the server's limit of ${cap} characters`
  // Summaries are verb phrases, so the compile stage only needs a subject
  // (compile-error and internal-error, the kinds ending in "error", have their own).
  const outcome = (kind: OutcomeKind, summary: string, stream?: Outcome['stream']): Outcome => ({
    kind,
    stage: compiled ? 'compile' : 'run',
    code,
    signal,
    stream,
    summary: compiled && !kind.endsWith('error') ? `compilation ${summary}` : summary,
  })
  const timeout = () => outcome('timeout', `stopped after ${time}: the time limit`)
  const outputLimit = (stream: 'stdout' | 'stderr') => outcome('output-limit', `killed: ${stream} exceeded ${limit}`, stream)
  const internal = (message: string) => outcome('internal-error', `internal error: ${message}`)

  // Newer servers say what happened; RE and SG are what code and signal say.
  if (status === 'TO') return timeout()
  if (status === 'OL' || status === 'EL') return outputLimit(status === 'OL' ? 'stdout' : 'stderr')
  if (status === 'XX') return internal(stage.message || 'the server failed to run the job')
  if (signal == null) {
    return code === null
      ? internal('the server reported neither an exit code nor a signal')
      : code === 0
        ? outcome('ok', '')
        : compiled
          ? outcome('compile-error', `compile error (exit code ${code})`)
          : outcome('exit', `exited with code ${code}`)
  }
  if (signal !== 'SIGKILL') return outcome('signal', `killed by signal ${signal}`)

  // Without `status` (Piston 3.1.1), the time limit and the output cap both
  // end in a bare SIGKILL, often with empty output: reason from the timing,
  // then from how full the streams are, and admit it when neither tells.
  // The client's `elapsed_ms` also covers the request and any other stage:
  // it is only an upper bound of the stage's duration when both stages ran.
  const measured = wallTime ?? elapsedMs
  const threshold = TIMEOUT_FRACTION * timeoutMs
  if (measured != null && (wallTime != null || compiled || !compile) && measured >= threshold) return timeout()
  // The stream with too little room left for another line as long as its
  // longest: Piston drops the chunk that crosses the cap, so a capped stream
  // stops within about a line of it.
  const full = (['stdout', 'stderr'] as const).find((name) => {
    const text = stage[name]
    return text !== '' && cap - text.length < text.split('\n').reduce((longest, line) => Math.max(longest, line.length + 1), 0)
  })
  if (full) return outputLimit(full)
  // The cap is named only when the output came near it, or when there is
  // none at all (the one chunk that crossed it was dropped whole): a kill
  // after 80 characters is as likely a busy server's.
  const near = stage.stdout.length + stage.stderr.length === 0 || Math.max(stage.stdout.length, stage.stderr.length) >= cap / 2
  if (!near) return outcome('signal', measured == null ? `killed: the time limit (${time}) or the server ended it (it does not say which)` : 'killed by SIGKILL (the server does not say why)')
  // The same words as a known cause, hedged: this server does not say why it killed.
  return measured != null && measured < threshold
    ? outcome('output-limit', `killed: the output most likely exceeded ${limit} (the server does not say why)`)
    : outcome('signal', `killed: the output limit (${cap} characters) or the time limit (${time}) was exceeded (the server does not say which)`)
}
