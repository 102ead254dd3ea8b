/**
 * How a run ended, in words. Shared by the build (reports, baked HTML) and the
 * browser (live re-runs), so it imports nothing from Node.
 */
import type { ExecuteResponse, Stage } from '../execution/types.js'

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
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Number((ms / 1000).toFixed(2))} s`
}

interface Limits {
  timeoutMs: number
  cap: number
  /**
   * The stage's duration, or an upper bound of it: the client's `elapsed_ms`
   * also covers the request and any other stage.
   */
  elapsedMs: number | undefined
  /** Whether `elapsedMs` is close to the stage's own duration. */
  elapsedIsStage: boolean
}

function failed(stage: Stage): boolean {
  return stage.code !== 0 || stage.signal != null || stage.status != null
}

/** Describes a response; a failed compile stage wins over the run stage. */
export function describeOutcome(response: ExecuteResponse, context: OutcomeContext = {}): Outcome {
  const cap = context.outputMaxSize ?? DEFAULT_OUTPUT_MAX_SIZE
  const { compile, elapsed_ms: elapsedMs } = response
  // A failed compile stage means there was no real run (older servers copy it into `run`).
  if (compile && failed(compile)) {
    const timeoutMs = context.compileTimeoutMs ?? DEFAULT_COMPILE_TIMEOUT_MS
    return describeStage(compile, 'compile', { timeoutMs, cap, elapsedMs, elapsedIsStage: true })
  }
  const timeoutMs = context.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS
  return describeStage(response.run, 'run', { timeoutMs, cap, elapsedMs, elapsedIsStage: !compile })
}

function describeStage(stage: Stage, name: Outcome['stage'], limits: Limits): Outcome {
  const { code, signal } = stage
  // Summaries are verb phrases, so the compile stage only needs a subject.
  const outcome = (kind: OutcomeKind, summary: string, stream?: Outcome['stream']): Outcome => ({
    kind,
    stage: name,
    code,
    signal,
    ...(stream && { stream }),
    summary: name === 'compile' && kind !== 'compile-error' && kind !== 'internal-error' ? `compilation ${summary}` : summary,
  })
  const timeout = () => outcome('timeout', `stopped after ${formatDuration(limits.timeoutMs)}: the time limit`)
  const outputLimit = (stream: 'stdout' | 'stderr') =>
    outcome('output-limit', `killed: ${stream} exceeded the server's limit of ${limits.cap} characters`, stream)
  const internal = (message: string) => outcome('internal-error', `internal error: ${message}`)

  // Newer servers say what happened; RE and SG are what code and signal say.
  switch (stage.status) {
    case 'TO':
      return timeout()
    case 'OL':
      return outputLimit('stdout')
    case 'EL':
      return outputLimit('stderr')
    case 'XX':
      return internal(stage.message || 'the server failed to run the job')
  }
  if (signal == null) {
    if (code === null) return internal('the server reported neither an exit code nor a signal')
    if (code === 0) return outcome('ok', '')
    return name === 'compile'
      ? outcome('compile-error', `compile error (exit code ${code})`)
      : outcome('exit', `exited with code ${code}`)
  }
  if (signal !== 'SIGKILL') return outcome('signal', `killed by signal ${signal}`)

  // Without `status` (Piston 3.1.1), the time limit and the output cap both
  // end in a bare SIGKILL, often with empty output: reason from the timing,
  // then from how full the streams are, and admit it when neither tells.
  const measured = stage.wall_time ?? limits.elapsedMs
  const threshold = TIMEOUT_FRACTION * limits.timeoutMs
  const isLowerBound = stage.wall_time != null || limits.elapsedIsStage
  if (measured != null && isLowerBound && measured >= threshold) return timeout()
  const full = streamAtCap(stage, limits.cap)
  if (full) return outputLimit(full)
  if (measured != null && measured < threshold) {
    return outcome(
      'output-limit',
      `killed (SIGKILL) well before the time limit: most likely the output exceeded the server's limit of ${limits.cap} characters`,
    )
  }
  return outcome(
    'signal',
    `killed (SIGKILL): the output limit (${limits.cap} characters) or the time limit (${formatDuration(limits.timeoutMs)}) was exceeded`,
  )
}

/**
 * The stream with too little room left for another line as long as its
 * longest: Piston drops the chunk that crosses the cap, so a capped stream
 * stops within about a line of it.
 */
function streamAtCap(stage: Stage, cap: number): 'stdout' | 'stderr' | undefined {
  return (['stdout', 'stderr'] as const).find((stream) => {
    const text = stage[stream]
    if (text === '') return false
    const longestLine = text.split('\n').reduce((longest, line) => Math.max(longest, line.length + 1), 0)
    return cap - text.length < longestLine
  })
}
