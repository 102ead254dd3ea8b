/**
 * A Piston-protocol server on 127.0.0.1 for tests and benchmarks: the routes,
 * validation messages and status codes of Piston 3.1.1's api/v2 (see
 * shared/piston-api.md and the recordings), jobs run by the local engine,
 * plus fault injection (error statuses, dropped sockets, slow answers).
 */
import { setMaxListeners } from 'node:events'
import { createServer, STATUS_CODES } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { createLocalEngine } from '../../src/execution/local-engine.js'
import { resolveRuntime } from '../../src/execution/runtimes.js'
import { EngineError } from '../../src/execution/types.js'
import type { Engine, ExecuteRequest } from '../../src/execution/types.js'

export interface PistonServerOptions {
  /** Answer in Piston 3.1.1's shapes (no status/message/wall_time). Default true. Ignored with `engine`. */
  legacy?: boolean
  /** Extra delay per execute job, inside its job slot, for benchmarks. Default 0. */
  latencyMs?: number
  /** Jobs run at once; further ones queue, as in Piston. Default 64. */
  maxConcurrentJobs?: number
  /** Allow any origin and answer preflights, for browser tests. Default false. */
  cors?: boolean
  /** What runs jobs. Default: a local engine built from the options here. */
  engine?: Engine
  /** Characters per stream before a kill. Default 1024. Ignored with `engine`. */
  outputMaxSize?: number
  /** Configured run wall limit in ms. Default 3000. Ignored with `engine`. */
  runTimeout?: number
  /** Port on 127.0.0.1. Default 0 (any free port). */
  port?: number
}

export type Fault =
  | { type: 'status'; status: number; retryAfter?: string; body?: string }
  /** Destroy the socket without answering. */
  | { type: 'drop' }
  /** Answer normally after `ms`. */
  | { type: 'delay'; ms: number }
  /**
   * Answer an execute with a clean exit and no output, without running it:
   * what a busy Piston 3.1.1 answered for 8 of 12 simultaneous programs
   * that it killed for printing too much (issue 11).
   */
  | { type: 'lost-output' }
  /** Answer 200 with this body (a recorded Piston answer), without running anything. */
  | { type: 'answer'; body: unknown }
  /**
   * Answer 200 with the start of a Piston answer whose stdout never ends, as
   * fast as the client reads it, until the client closes the connection.
   * `sent` counts the bytes written (see `PistonServer.endlessBytes`).
   */
  | { type: 'endless' }

export interface RecordedRequest {
  method: string
  path: string
  /** Parsed JSON, the raw text for other bodies, null when empty. */
  body: unknown
  headers: Record<string, string | string[] | undefined>
  /** Other execute requests being answered when this one arrived. */
  concurrent: number
}

export interface PistonServer {
  /** API root, e.g. http://127.0.0.1:PORT/api/v2 */
  url: string
  origin: string
  port: number
  /** Execute jobs actually run (validated, given a slot). */
  readonly executions: number
  requests: RecordedRequest[]
  /** Faults for the next requests, one each, in order. */
  inject(...faults: Fault[]): void
  /** Bytes written by the last `endless` answer, and whether its client has hung up. */
  readonly endless: { bytes: number; closed: boolean }
  /** Empties the fault queue and returns what no request used, so that no fault leaks into the next test. */
  clearFaults(): Fault[]
  close(): Promise<void>
}

const ROOT = '/api/v2'
const JSON_TYPE = 'application/json; charset=utf-8'

/** FIFO job slots, like Piston's job queue. */
function slots(size: number) {
  let free = size
  const waiting: Array<() => void> = []
  return {
    async acquire(): Promise<void> {
      if (free > 0) {
        free--
        return
      }
      await new Promise<void>((resolve) => waiting.push(resolve))
    },
    release(): void {
      const next = waiting.shift()
      if (next) next()
      else free++
    },
  }
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> }

class BadRequest extends Error {}

/** Piston's checks before a job is made, in its order and words (api/v2.js get_job). */
function validateExecute(body: Record<string, unknown>): void {
  const { language, version, files } = body
  if (!language || typeof language !== 'string') throw new BadRequest('language is required as a string')
  if (!version || typeof version !== 'string') throw new BadRequest('version is required as a string')
  if (!files || !Array.isArray(files)) throw new BadRequest('files is required as an array')
  files.forEach((file: { content?: unknown } | null, i) => {
    if (typeof file?.content !== 'string') throw new BadRequest(`files[${i}].content is required as a string`)
  })
}

export async function startPistonServer(options: PistonServerOptions = {}): Promise<PistonServer> {
  const engine =
    options.engine ??
    createLocalEngine({
      legacy: options.legacy ?? true,
      ...(options.outputMaxSize !== undefined ? { outputMaxSize: options.outputMaxSize } : {}),
      ...(options.runTimeout !== undefined ? { runTimeoutMs: options.runTimeout } : {}),
    })
  const jobSlots = slots(options.maxConcurrentJobs ?? 64)
  const closing = new AbortController()
  // Every queued or running job listens for the shutdown: many at once is expected.
  setMaxListeners(0, closing.signal)
  const faults: Fault[] = []
  const requests: RecordedRequest[] = []
  let executions = 0
  let answering = 0
  const endless = { bytes: 0, closed: false }

  /** Writes an answer that never ends, with back-pressure, until the client hangs up. */
  async function answerEndlessly(res: ServerResponse): Promise<void> {
    Object.assign(endless, { bytes: 0, closed: false })
    res.on('close', () => (endless.closed = true))
    res.writeHead(200, { 'content-type': JSON_TYPE })
    const chunk = Buffer.alloc(64 * 1024, 'A')
    let head = Buffer.from('{"language":"python","version":"3.12.0","run":{"stdout":"')
    while (!endless.closed && !closing.signal.aborted) {
      const piece = head.length ? Buffer.concat([head, chunk]) : chunk
      head = Buffer.alloc(0)
      endless.bytes += piece.length
      if (!res.write(piece)) {
        await new Promise<void>((resolve) => {
          const done = () => (res.off('drain', done), res.off('close', done), resolve())
          res.once('drain', done).once('close', done)
        })
      }
    }
  }

  async function execute(body: Record<string, unknown>): Promise<Reply> {
    validateExecute(body)
    const { language, version, files } = body as unknown as ExecuteRequest
    if (!resolveRuntime(await engine.runtimes(), language, version).ok) {
      throw new BadRequest(`${language}-${version} runtime is unknown`)
    }
    if (!(files as Array<{ encoding?: unknown }>).some((f) => !f.encoding || f.encoding === 'utf8')) {
      throw new BadRequest('files must include at least one utf8 encoded file')
    }
    await jobSlots.acquire()
    try {
      if (options.latencyMs) await sleep(options.latencyMs, undefined, { signal: closing.signal })
      executions++
      // elapsed_ms is the client's measurement, not part of Piston's answer.
      const { elapsed_ms: _measured, ...result } = await engine.execute(body as unknown as ExecuteRequest, { signal: closing.signal })
      return { status: 200, body: result }
    } finally {
      jobSlots.release()
    }
  }

  async function lostOutput({ language, version }: ExecuteRequest): Promise<Reply> {
    const resolved = resolveRuntime(await engine.runtimes(), language, version)
    const run = { stdout: '', stderr: '', output: '', code: 0, signal: null }
    return { status: 200, body: { language: resolved.ok ? resolved.runtime.language : language, version: resolved.ok ? resolved.runtime.version : version, run } }
  }

  async function packages(body: Record<string, unknown>, method: string): Promise<Reply> {
    const runtimes = await engine.runtimes()
    if (method === 'GET') {
      return { status: 200, body: runtimes.map((rt) => ({ language: rt.language, language_version: rt.version, installed: true })) }
    }
    const { language, version } = body
    const known = runtimes.some((rt) => rt.language === language && rt.version === version)
    if (!known) return { status: 404, body: { message: `Requested package ${String(language)}-${String(version)} does not exist` } }
    // Plausible, and harmless: nothing is installed or removed.
    return { status: 200, body: { language, version } }
  }

  const routes: Record<string, Record<string, (body: Record<string, unknown>, method: string) => Promise<Reply>>> = {
    [`${ROOT}/runtimes`]: {
      GET: async () => ({
        status: 200,
        body: (await engine.runtimes()).map(({ language, version, aliases, runtime }) => ({ language, version, aliases, runtime })),
      }),
    },
    [`${ROOT}/execute`]: { POST: execute },
    [`${ROOT}/packages`]: { GET: packages, POST: packages, DELETE: packages },
  }

  async function route(req: IncomingMessage, path: string, raw: string): Promise<Reply> {
    const method = req.method ?? 'GET'
    const contentType = req.headers['content-type'] ?? ''
    const methods = routes[path]
    if (options.cors && method === 'OPTIONS') {
      return {
        status: 204,
        headers: {
          'access-control-allow-methods': 'GET, POST, OPTIONS',
          'access-control-allow-headers': 'Content-Type, Authorization',
          'access-control-max-age': '600',
        },
      }
    }
    // body-parser runs before routing: malformed JSON is a 400 with a stack, on any path.
    let body: Record<string, unknown> = {}
    if (contentType.startsWith('application/json') && raw !== '') {
      try {
        body = JSON.parse(raw) as Record<string, unknown>
      } catch (error) {
        return { status: 400, body: { stack: String((error as Error).stack) } }
      }
    }
    if ((path === ROOT || path.startsWith(`${ROOT}/`)) && !['GET', 'HEAD', 'OPTIONS'].includes(method)) {
      if (!contentType.startsWith('application/json')) {
        return { status: 415, body: { message: 'requests must be of type application/json' } }
      }
    }
    const handler = methods?.[method]
    if (!handler) return { status: 404, body: { message: 'Not Found' } }
    try {
      return await handler(typeof body === 'object' && body !== null ? body : {}, method)
    } catch (error) {
      if (error instanceof BadRequest || (error instanceof EngineError && error.kind === 'rejected')) {
        return { status: 400, body: { message: error.message } }
      }
      throw error
    }
  }

  function send(res: ServerResponse, reply: Reply): void {
    const payload = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body)
    res.writeHead(reply.status, {
      ...(payload !== '' ? { 'content-type': typeof reply.body === 'string' && !isJson(payload) ? 'text/html; charset=utf-8' : JSON_TYPE } : {}),
      ...(options.cors ? { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'Retry-After' } : {}),
      ...reply.headers,
    })
    res.end(payload)
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    requests.push({ method: req.method ?? '', path, body: recordedBody(req, raw), headers: { ...req.headers }, concurrent: answering })
    if (path !== `${ROOT}/execute`) return reply(req, res, path, raw)
    answering++
    try {
      await reply(req, res, path, raw)
    } finally {
      answering--
    }
  }

  async function reply(req: IncomingMessage, res: ServerResponse, path: string, raw: string): Promise<void> {
    const fault = faults.shift()
    if (fault?.type === 'drop') {
      req.socket.destroy()
      return
    }
    if (fault?.type === 'status') {
      const body = fault.body ?? { message: STATUS_CODES[fault.status] ?? 'Fault' }
      send(res, { status: fault.status, body, ...(fault.retryAfter !== undefined ? { headers: { 'retry-after': fault.retryAfter } } : {}) })
      return
    }
    if (fault?.type === 'answer') return send(res, { status: 200, body: fault.body })
    if (fault?.type === 'endless') return answerEndlessly(res)
    if (fault?.type === 'lost-output') return send(res, await lostOutput(JSON.parse(raw) as ExecuteRequest))
    if (fault?.type === 'delay') await sleep(fault.ms, undefined, { signal: closing.signal })
    send(res, await route(req, path, raw))
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      // Internal failure, or the server is closing: Piston answers 500 with an empty body.
      if (closing.signal.aborted) res.destroy()
      else if (!res.headersSent) send(res, { status: 500 })
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`

  return {
    url: `${origin}${ROOT}`,
    origin,
    port,
    get executions() {
      return executions
    },
    requests,
    endless,
    inject(...more) {
      faults.push(...more)
    },
    clearFaults: () => faults.splice(0),
    async close() {
      closing.abort()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await closed
      if (!options.engine) await engine.close()
    },
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

function recordedBody(req: IncomingMessage, raw: string): unknown {
  if (raw === '') return null
  return (req.headers['content-type'] ?? '').startsWith('application/json') && isJson(raw) ? JSON.parse(raw) : raw
}
