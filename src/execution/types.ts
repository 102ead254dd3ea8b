/**
 * The execution side's vocabulary. Shapes follow Piston's v2 API
 * (`POST /execute`, `GET /runtimes`) so that a cached result, a live result
 * in the browser and a recording all read the same.
 */

/** One file sent with a job; the first file of a request is the entry point. */
export interface JobFile {
  name: string
  content: string
}

/** Body of `POST {root}/execute`. */
export interface ExecuteRequest {
  language: string
  /** Exact version or SemVer selector; `*` is the newest installed. */
  version: string
  files: JobFile[]
  stdin?: string
  args?: string[]
  /** Wall-clock limit of the run stage in ms; may only lower the server's. */
  run_timeout?: number
  compile_timeout?: number
  run_cpu_time?: number
  compile_cpu_time?: number
  run_memory_limit?: number
  compile_memory_limit?: number
}

/** Piston's status codes on newer servers (absent on older ones). */
export type StageStatus = 'RE' | 'SG' | 'TO' | 'OL' | 'EL' | 'XX'

/** One stage (compile or run) of a job, as Piston reports it. */
export interface Stage {
  stdout: string
  stderr: string
  /** stdout and stderr interleaved in arrival order. */
  output: string
  /** Exit code; null when `signal` is set. */
  code: number | null
  signal: string | null
  message?: string | null
  status?: StageStatus | null
  cpu_time?: number
  wall_time?: number
  memory?: number
}

/** Body of a 200 answer to `POST {root}/execute`. */
export interface ExecuteResponse {
  language: string
  version: string
  run: Stage
  /** Present only for compiled languages. */
  compile?: Stage
  /**
   * Measured by the client (not sent by Piston); lets a timeout be told from
   * an output-cap kill on servers without `status`.
   */
  elapsed_ms?: number
}

/** One entry of `GET {root}/runtimes`. */
export interface Runtime {
  language: string
  version: string
  aliases: string[]
  runtime?: string
}

/** What produced a result: recorded in the cache, never a URL or a token. */
export interface EngineInfo {
  kind: 'piston' | 'local'
}

/**
 * Something that runs jobs. Both engines speak Piston's protocol so that the
 * rest of the pipeline never knows which one it has.
 */
export interface Engine {
  readonly info: EngineInfo
  /** Installed runtimes; implementations fetch them at most once. */
  runtimes(): Promise<Runtime[]>
  /**
   * `sent`, if the engine can tell: called once the job has left for the
   * engine (its request written to the connection, its process started), so
   * that a host may then hold the thread (a page render) without holding the
   * job back; again for each retry or stage, of which the first call counts.
   * An engine that never calls it is taken to have sent the job when it
   * answers.
   */
  execute(request: ExecuteRequest, options?: { signal?: AbortSignal; sent?: () => void }): Promise<ExecuteResponse>
  /** Release sockets, temp dirs and the like. */
  close(): Promise<void>
}

/**
 * Why an engine call failed, in categories the CLI can give advice for.
 * `unreachable`: connection refused/reset, DNS, timeouts after all retries.
 * `rejected`: a 4xx with Piston's message (unknown language, bad limits...).
 * `server`: a 5xx or a malformed answer after all retries.
 */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly kind: 'unreachable' | 'rejected' | 'server',
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'EngineError'
  }
}
