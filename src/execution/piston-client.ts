/**
 * Engine that talks to a Piston server (self-hosted or the public instance)
 * over one keep-alive undici Pool, with retries for what a proxy in front of
 * Piston answers when busy (429, 502-504) and for dropped connections.
 *
 * Retries are done here rather than with undici's RetryAgent: the loop must
 * retry POST, take Retry-After as given by proxies (capped), tell a timeout
 * from a refused connection in the final error, and abort between attempts;
 * a dozen lines are easier to follow than RetryAgent's options for all that.
 */
import type { Readable } from 'node:stream'
import { setTimeout as delay } from 'node:timers/promises'
import type { Pool } from 'undici'
import { MAX_TIMEOUT_MS } from './limits.js'
import { EngineError } from './types.js'
import type { Engine, ExecuteRequest, ExecuteResponse, Runtime, Stage } from './types.js'

export interface PistonEngineOptions {
  /**
   * API root, path included: `http://localhost:2000/api/v2` for a
   * self-hosted server, `https://emkc.org/api/v2/piston` for the public one.
   * `user:pass@` in it is sent as HTTP Basic auth unless `token` is set, and
   * is never shown in errors.
   */
  url: string
  /** Sent verbatim as the `Authorization` header; never logged or put in errors. */
  token?: string
  /** Further attempts after a 429/502/503/504 or a connection failure. Default 4. */
  retries?: number
  /** Backoff before retry n is random in [0, min(retryMaxMs, retryBaseMs * 2^n)]. Default 250. */
  retryBaseMs?: number
  /** Cap on one backoff, including a server's Retry-After. Default 8000. */
  retryMaxMs?: number
  /**
   * Limit on one attempt, from sending to the answer's last byte. Default
   * for a job: the job's run_timeout + compile_timeout (Piston's 3000 +
   * 10000 when absent) + 15000 ms for queueing, but never less than 65000:
   * a proxy in front of Piston (deploy/: 60 s) must give up first and say
   * so, rather than the client resending a job that is still queued.
   * 30000 for /runtimes.
   */
  requestTimeoutMs?: number
  /** Keep-alive connections to the server. Default 16. */
  connections?: number
  /**
   * The server's output cap per stream in characters (its
   * PISTON_OUTPUT_MAX_SIZE). Default 1024. An answer longer than a job's
   * output can make (every stream of both stages at the cap, escaped, plus
   * `ANSWER_OVERHEAD_BYTES`) is cut off and is an error: a server that
   * streams without end must not fill this process's memory.
   */
  outputMaxSize?: number
}

const RETRY_STATUSES = new Set([429, 502, 503, 504])
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
])
/** Network failures that another attempt will not fix. */
const FINAL_NETWORK_CODES = new Set(['ENOTFOUND'])
/** Piston's default wall limits, assumed when a job does not set its own. */
const PISTON_RUN_TIMEOUT_MS = 3000
const PISTON_COMPILE_TIMEOUT_MS = 10_000
const QUEUE_MARGIN_MS = 15_000
/**
 * deploy/Caddyfile's wait for Piston's answer (PISTON_RESPONSE_TIMEOUT, 60 s)
 * plus time for its 504 to arrive: an attempt lasts at least this long.
 */
const PROXY_WAIT_MS = 65_000
const RUNTIMES_TIMEOUT_MS = 30_000
/** Room for an answer's JSON beyond its streams: names, versions, messages, an error body. */
const ANSWER_OVERHEAD_BYTES = 64 * 1024
/**
 * Bytes one character of output can take in the answer's JSON: a control
 * character is escaped as `\u0000`.
 */
const BYTES_PER_CHARACTER = 6
/** stdout, stderr and `output` (both at once, so two caps' worth) of two stages. */
const CAPPED_STREAMS = 8
/** /runtimes: a few hundred runtimes at most. */
const RUNTIMES_MAX_BYTES = 4 * 1024 * 1024

interface Config {
  base: URL
  /** The API root without credentials, for messages. */
  shownUrl: string
  authorization?: string
  retries: number
  retryBaseMs: number
  retryMaxMs: number
  requestTimeoutMs?: number
  connections: number
  outputMaxSize: number
  /** Secrets to blank out of any server text quoted in an error. */
  secrets: string[]
}

function validate(options: PistonEngineOptions): Config {
  const fail = (message: string): never => {
    throw new TypeError(`createPistonEngine: ${message}`)
  }
  const nonNegative = (name: string, value: number | undefined, fallback: number, integer = false): number => {
    if (value === undefined) return fallback
    if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
      fail(`${name} must be ${integer ? 'an integer' : 'a number'} >= 0`)
    }
    return value
  }

  let base: URL | undefined
  try {
    base = new URL(options.url)
  } catch {
    // The URL may carry credentials: do not echo it.
  }
  if (!base || (base.protocol !== 'http:' && base.protocol !== 'https:')) {
    return fail('url must be an absolute http(s) URL such as http://localhost:2000/api/v2')
  }
  if (options.token !== undefined && (typeof options.token !== 'string' || options.token === '')) {
    fail('token must be a non-empty string')
  }
  const retryBaseMs = nonNegative('retryBaseMs', options.retryBaseMs, 250)
  const retryMaxMs = nonNegative('retryMaxMs', options.retryMaxMs, Math.max(8000, retryBaseMs))
  if (retryMaxMs < retryBaseMs) fail('retryMaxMs must be >= retryBaseMs')
  if (options.requestTimeoutMs !== undefined && !(options.requestTimeoutMs > 0)) fail('requestTimeoutMs must be > 0')
  const connections = nonNegative('connections', options.connections, 16, true)
  if (connections < 1) fail('connections must be >= 1')
  const outputMaxSize = nonNegative('outputMaxSize', options.outputMaxSize, 1024, true)
  if (outputMaxSize < 1) fail('outputMaxSize must be >= 1')

  const username = decodeURIComponent(base.username)
  const password = decodeURIComponent(base.password)
  const shown = new URL(base)
  shown.username = ''
  shown.password = ''
  const authorization =
    options.token ?? (username || password ? `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` : undefined)
  return {
    base,
    shownUrl: shown.href.replace(/\/$/, ''),
    ...(authorization !== undefined ? { authorization } : {}),
    retries: nonNegative('retries', options.retries, 4, true),
    retryBaseMs,
    retryMaxMs,
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    connections,
    outputMaxSize,
    secrets: [options.token, password, authorization].filter((s): s is string => !!s),
  }
}

/**
 * Wait before retry `n` (0-based): the server's Retry-After (seconds or an
 * HTTP date) when readable, else full-jitter exponential backoff; at most
 * `retryMaxMs` either way, so a proxy cannot stall a build for minutes.
 */
export function retryDelayMs(
  n: number,
  retryAfter: string | string[] | undefined,
  policy: { retryBaseMs: number; retryMaxMs: number },
  random: () => number = Math.random,
): number {
  const asked = retryAfterMs(retryAfter)
  if (asked !== undefined) return Math.min(asked, policy.retryMaxMs)
  return random() * Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** n)
}

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header
  if (value === undefined || value.trim() === '') return undefined
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

type Attempt =
  | { ok: true; status: number; headers: Record<string, string | string[] | undefined>; text: string; elapsedMs: number }
  | { ok: false; problem: string; retryable: boolean; cause: unknown }

interface Answer {
  status: number
  contentType: string
  text: string
  elapsedMs: number
  attempts: number
}

function isStage(value: unknown): value is Stage {
  const s = value as Record<string, unknown> | null
  return (
    typeof s === 'object' && s !== null &&
    typeof s.stdout === 'string' && typeof s.stderr === 'string' && typeof s.output === 'string' &&
    (typeof s.code === 'number' || s.code === null) && (typeof s.signal === 'string' || s.signal === null)
  )
}

function isExecuteResponse(value: unknown): value is ExecuteResponse {
  const r = value as Record<string, unknown> | null
  return (
    typeof r === 'object' && r !== null && typeof r.language === 'string' && typeof r.version === 'string' &&
    isStage(r.run) && (r.compile === undefined || isStage(r.compile))
  )
}

function isRuntimeList(value: unknown): value is Runtime[] {
  return (
    Array.isArray(value) &&
    value.every((rt: Record<string, unknown> | null) =>
      typeof rt === 'object' && rt !== null && typeof rt.language === 'string' && typeof rt.version === 'string' && Array.isArray(rt.aliases),
    )
  )
}

/**
 * `body` as undici writes it, then `sent`: undici asks for the next chunk
 * only once it has written this one to the connection, which a string body
 * would not tell (and which needs the event loop: a connection to open,
 * a socket to write). undici writes async iterables, though its types list
 * streams only.
 */
async function* writtenThen(body: string, sent: () => void) {
  yield Buffer.from(body)
  sent()
}

/** Default limit on one execute attempt (see `requestTimeoutMs`). */
export function executeAttemptMs(request: Pick<ExecuteRequest, 'run_timeout' | 'compile_timeout'>): number {
  const job = (request.run_timeout || PISTON_RUN_TIMEOUT_MS) + (request.compile_timeout || PISTON_COMPILE_TIMEOUT_MS) + QUEUE_MARGIN_MS
  // A longer timer would fire at once (limits.ts).
  return Math.min(Math.max(job, PROXY_WAIT_MS), MAX_TIMEOUT_MS)
}

export function createPistonEngine(options: PistonEngineOptions): Engine {
  const config = validate(options)
  // undici is loaded with the first request: a build whose snippets are all cached never pays for it.
  let pool: Promise<Pool> | undefined
  const connect = () => (pool ??= import('undici').then(({ Pool }) => new Pool(config.base.origin, { connections: config.connections })))
  const root = config.base.pathname.replace(/\/+$/, '')
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...(config.authorization !== undefined ? { authorization: config.authorization } : {}),
  }

  const redact = (text: string) => config.secrets.reduce((t, secret) => t.split(secret).join('[redacted]'), text)

  /**
   * The answer's text, read until `maxBytes`: past that the body is
   * destroyed and the answer is an error, so memory stays bounded.
   */
  async function readCapped(body: AsyncIterable<Buffer> & { destroy(): unknown }, endpoint: string): Promise<string> {
    const execute = endpoint === '/execute'
    const maxBytes = execute ? ANSWER_OVERHEAD_BYTES + CAPPED_STREAMS * BYTES_PER_CHARACTER * config.outputMaxSize : RUNTIMES_MAX_BYTES
    const chunks: Buffer[] = []
    let bytes = 0
    for await (const chunk of body) {
      bytes += chunk.length
      if (bytes > maxBytes) {
        body.destroy()
        const why = execute ? `more than a job can print under the output limit of ${config.outputMaxSize} characters (limits.outputMaxSize)` : 'more than any list of runtimes'
        throw new EngineError(`the answer from ${config.shownUrl}${endpoint} passed ${maxBytes} bytes, ${why}: cut off`, 'server')
      }
      chunks.push(chunk)
    }
    return Buffer.concat(chunks).toString('utf8')
  }

  async function attempt(method: 'GET' | 'POST', endpoint: string, body: string | undefined, timeoutMs: number, signal?: AbortSignal, sent?: () => void): Promise<Attempt> {
    const client = await connect()
    const timeout = AbortSignal.timeout(timeoutMs)
    const started = performance.now()
    try {
      const response = await client.request({
        path: `${root}${endpoint}`,
        method,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
        body: body !== undefined && sent ? (writtenThen(body, sent) as unknown as Readable) : body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      })
      const text = await readCapped(response.body, endpoint)
      return { ok: true, status: response.statusCode, headers: response.headers, text, elapsedMs: performance.now() - started }
    } catch (error) {
      if (signal?.aborted) throw signal.reason
      if (error instanceof EngineError) throw error
      if (timeout.aborted) return { ok: false, problem: `no answer within ${timeoutMs} ms`, retryable: true, cause: error }
      const code = (error as { code?: unknown }).code
      if (typeof code === 'string' && (TRANSIENT_CODES.has(code) || FINAL_NETWORK_CODES.has(code))) {
        return { ok: false, problem: `${code} (${(error as Error).message})`, retryable: TRANSIENT_CODES.has(code), cause: error }
      }
      throw error
    }
  }

  /** One logical request: attempts with backoff until an answer that is not worth retrying. */
  async function send(method: 'GET' | 'POST', endpoint: string, body: string | undefined, timeoutMs: number, signal?: AbortSignal, sent?: () => void): Promise<Answer> {
    for (let n = 0; ; n++) {
      const result = await attempt(method, endpoint, body, timeoutMs, signal, sent)
      const attempts = n + 1
      const retryable = result.ok ? RETRY_STATUSES.has(result.status) : result.retryable
      if (!retryable || n >= config.retries) {
        if (!result.ok) {
          const tries = attempts > 1 ? ` after ${attempts} attempts` : ''
          throw new EngineError(`cannot reach Piston at ${config.shownUrl}: ${result.problem}${tries}`, 'unreachable', undefined, {
            cause: result.cause,
          })
        }
        const contentType = String(result.headers['content-type'] ?? '')
        return { status: result.status, contentType, text: result.text, elapsedMs: result.elapsedMs, attempts }
      }
      const wait = retryDelayMs(n, result.ok ? result.headers['retry-after'] : undefined, config)
      await delay(wait, undefined, signal ? { signal } : {})
    }
  }

  /** The answer's JSON when it is a 2xx; otherwise the EngineError it stands for. */
  function interpret(answer: Answer, what: string): unknown {
    let json: unknown
    try {
      json = JSON.parse(answer.text)
    } catch {
      json = undefined
    }
    const pistonMessage =
      typeof (json as { message?: unknown } | undefined)?.message === 'string' ? redact((json as { message: string }).message) : undefined
    const from = `${config.shownUrl}${what}`
    const { status } = answer
    const tries = answer.attempts > 1 ? ` after ${answer.attempts} attempts` : ''
    if (status >= 200 && status < 300) {
      if (json === undefined) {
        throw new EngineError(`malformed answer from ${from}: not JSON (content-type ${answer.contentType || 'none'})`, 'server', status)
      }
      return json
    }
    if (status === 413) throw new EngineError(`request too large for ${from} (HTTP 413)`, 'rejected', status)
    if (status === 429) throw new EngineError(`rate limited by ${from} (HTTP 429)${tries}`, 'rejected', status)
    if (status >= 400 && status < 500) {
      throw new EngineError(pistonMessage ?? `${from} answered HTTP ${status}`, 'rejected', status)
    }
    const detail = pistonMessage ? `: ${pistonMessage}` : ''
    throw new EngineError(`${from} answered HTTP ${status}${tries}${detail}`, 'server', status)
  }

  let runtimes: Promise<Runtime[]> | undefined

  async function fetchRuntimes(): Promise<Runtime[]> {
    const answer = await send('GET', '/runtimes', undefined, config.requestTimeoutMs ?? RUNTIMES_TIMEOUT_MS)
    const json = interpret(answer, '/runtimes')
    if (!isRuntimeList(json)) {
      throw new EngineError(`malformed answer from ${config.shownUrl}/runtimes: expected a list of runtimes`, 'server', answer.status)
    }
    return json
  }

  return {
    info: { kind: 'piston' },
    runtimes() {
      // A failed fetch is forgotten so that the next call tries again.
      runtimes ??= fetchRuntimes().catch((error: unknown) => {
        runtimes = undefined
        throw error
      })
      return runtimes
    },
    async execute(request: ExecuteRequest, { signal, sent }: { signal?: AbortSignal; sent?: () => void } = {}) {
      const timeoutMs = config.requestTimeoutMs ?? executeAttemptMs(request)
      const answer = await send('POST', '/execute', JSON.stringify(request), timeoutMs, signal, sent)
      const json = interpret(answer, '/execute')
      if (!isExecuteResponse(json)) {
        throw new EngineError(`malformed answer from ${config.shownUrl}/execute: expected run.stdout, run.stderr, run.code...`, 'server', answer.status)
      }
      return { ...json, elapsed_ms: Math.round(answer.elapsedMs) }
    },
    close: async () => await (await pool)?.close(),
  }
}
