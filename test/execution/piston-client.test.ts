/**
 * The Piston client against the test server over real HTTP on 127.0.0.1,
 * with faults injected server-side.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createPistonEngine, retryDelayMs } from '../../src/execution/piston-client.js'
import type { PistonEngineOptions } from '../../src/execution/piston-client.js'
import { EngineError } from '../../src/execution/types.js'
import type { Engine, ExecuteRequest } from '../../src/execution/types.js'
import { startPistonServer } from '../piston-server/index.js'
import type { PistonServer } from '../piston-server/index.js'

const hello: ExecuteRequest = { language: 'python', version: '*', files: [{ name: 'main.py', content: 'print("Hello, World!")' }] }
const fast = { retryBaseMs: 1, retryMaxMs: 5 }

let server: PistonServer
const engines: Engine[] = []

function client(options: Partial<PistonEngineOptions> = {}): Engine {
  const engine = createPistonEngine({ url: server.url, ...fast, ...options })
  engines.push(engine)
  return engine
}

async function failure(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(EngineError)
  return error as EngineError
}

const executeRequests = () => server.requests.filter((r) => r.path === '/api/v2/execute')

beforeAll(async () => {
  server = await startPistonServer()
})
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()))
  server.requests.length = 0
  // A fault a test did not use would hit the next test's first request.
  expect(server.clearFaults(), 'faults injected but never used').toEqual([])
})
afterAll(async () => {
  await server.close()
})

describe('Piston client', () => {
  it('runs a job and measures the request', async () => {
    const engine = client()
    expect(engine.info).toEqual({ kind: 'piston' })
    const result = await engine.execute(hello)
    expect(result).toMatchObject({ language: 'python', run: { stdout: 'Hello, World!\n', code: 0, signal: null } })
    expect(result.elapsed_ms).toEqual(expect.any(Number))
  })

  it('always sends JSON, so the server never answers 415', async () => {
    await client().execute(hello)
    const [request] = executeRequests()
    expect(request?.headers['content-type']).toBe('application/json')
    expect(request?.body).toEqual(hello)
  })

  it('turns a 400 into a rejection carrying Piston\'s message as it is', async () => {
    const error = await failure(client().execute({ ...hello, language: 'cobol' }))
    expect(error).toMatchObject({ kind: 'rejected', status: 400, message: 'cobol-* runtime is unknown' })
    expect(executeRequests()).toHaveLength(1)
  })

  it('waits as told by Retry-After on a 429, then succeeds', async () => {
    server.inject({ type: 'status', status: 429, retryAfter: '0' })
    const result = await client().execute(hello)
    expect(result.run.stdout).toBe('Hello, World!\n')
    expect(executeRequests()).toHaveLength(2)
  })

  // Backoff alone would wait at most retryBaseMs (1 ms) here: only the header can make the gap.
  it.each([
    [503, '1', { retryMaxMs: 5000 }, 1000],
    [429, '3600', { retryMaxMs: 400 }, 400],
  ])('delays the attempt after a %i with Retry-After: %s by it, capped by retryMaxMs', async (status, retryAfter, options, waitMs) => {
    server.inject({ type: 'status', status, retryAfter })
    const started = performance.now()
    await client(options).execute(hello)
    const elapsed = performance.now() - started
    expect(executeRequests()).toHaveLength(2)
    expect(elapsed).toBeGreaterThanOrEqual(waitMs - 20) // timers may fire a millisecond early
    // The cap holds: nowhere near the hour asked for.
    expect(elapsed).toBeLessThan(waitMs + 10_000)
  })

  it('retries a 503 and a dropped connection', async () => {
    server.inject({ type: 'status', status: 503, retryAfter: '1' }, { type: 'drop' })
    const result = await client().execute(hello)
    expect(result.run.stdout).toBe('Hello, World!\n')
    expect(executeRequests()).toHaveLength(3)
    expect(server.executions).toBeGreaterThanOrEqual(1)
  })

  it('gives up after the configured retries with a server error', async () => {
    server.inject(...Array.from({ length: 3 }, () => ({ type: 'status' as const, status: 502 })))
    const error = await failure(client({ retries: 2 }).execute(hello))
    expect(error).toMatchObject({ kind: 'server', status: 502 })
    expect(error.message).toBe(`${server.url}/execute answered HTTP 502 after 3 attempts: Bad Gateway`)
    expect(executeRequests()).toHaveLength(3)
  })

  it('reports a rate limit that outlasts the retries as rejected with status 429', async () => {
    server.inject({ type: 'status', status: 429 }, { type: 'status', status: 429 })
    const error = await failure(client({ retries: 1 }).execute(hello))
    expect(error).toMatchObject({ kind: 'rejected', status: 429 })
    expect(error.message).toContain('rate limited')
  })

  it('does not retry a 500', async () => {
    server.inject({ type: 'status', status: 500, body: '' })
    const error = await failure(client().execute(hello))
    expect(error).toMatchObject({ kind: 'server', status: 500 })
    expect(executeRequests()).toHaveLength(1)
  })

  it('says a 413 is a request too large', async () => {
    server.inject({ type: 'status', status: 413, body: '<html>413 Request Entity Too Large</html>' })
    const error = await failure(client().execute(hello))
    expect(error).toMatchObject({ kind: 'rejected', status: 413 })
    expect(error.message).toContain('too large')
  })

  it('explains a 200 that is not Piston\'s JSON, such as a proxy\'s page', async () => {
    server.inject({ type: 'status', status: 200, body: '<html>Welcome to nginx</html>' })
    const page = await failure(client().execute(hello))
    expect(page).toMatchObject({ kind: 'server', status: 200 })
    expect(page.message).toContain('not JSON (content-type text/html')
    server.inject({ type: 'status', status: 200, body: '{"hello":"world"}' })
    const shape = await failure(client().execute(hello))
    expect(shape.message).toContain('expected run.stdout')
  })

  it('cuts off an answer that never ends at the output limit plus overhead, with bounded memory', async () => {
    server.inject({ type: 'endless' })
    const rss = process.memoryUsage.rss()
    const error = await failure(client({ outputMaxSize: 1024 }).execute(hello))
    // 64 KiB of overhead and eight streams of 1024 characters at up to 6 bytes each.
    const cap = 65_536 + 8 * 6 * 1024
    expect(error).toMatchObject({
      kind: 'server',
      message: `the answer from ${server.url}/execute passed ${cap} bytes, more than a job can print under the output limit of 1024 characters (limits.outputMaxSize): cut off`,
    })
    await expect.poll(() => server.endless.closed).toBe(true)
    // What the server got out before the hang-up: the cap and what sockets buffer, not gigabytes.
    expect(server.endless.bytes).toBeLessThan(16 * 1024 * 1024)
    expect(process.memoryUsage.rss() - rss).toBeLessThan(64 * 1024 * 1024)
    // Not retried: the same server would stream the same again.
    expect(executeRequests()).toHaveLength(1)
  })

  it('reads a whole answer of control characters at the cap (6 bytes each in JSON)', async () => {
    const big: ExecuteRequest = { language: 'python', version: '*', files: [{ name: 'main.py', content: 'print("\x01" * 1000)' }] }
    const result = await client({ outputMaxSize: 1024 }).execute(big)
    expect(result.run.stdout).toBe('\x01'.repeat(1000) + '\n')
  })

  it('times out a slow answer', async () => {
    server.inject({ type: 'delay', ms: 60_000 })
    const error = await failure(client({ requestTimeoutMs: 200, retries: 0 }).execute(hello))
    expect(error.kind).toBe('unreachable')
    expect(error.message).toBe(`cannot reach Piston at ${server.url}: no answer within 200 ms`)
  })

  it('retries after a slow answer times out', async () => {
    server.inject({ type: 'delay', ms: 60_000 })
    // bash, not python: the second attempt must fit in the limit even on a loaded machine.
    const echo: ExecuteRequest = { language: 'bash', version: '*', files: [{ name: 'main.sh', content: 'echo hi' }] }
    const result = await client({ requestTimeoutMs: 1000, retries: 1 }).execute(echo)
    expect(result.run.stdout).toBe('hi\n')
    expect(executeRequests()).toHaveLength(2)
  })

  it('stops on the caller\'s abort without retrying', async () => {
    server.inject({ type: 'delay', ms: 60_000 })
    const controller = new AbortController()
    const job = client().execute(hello, { signal: controller.signal })
    await expect.poll(() => executeRequests().length).toBe(1)
    controller.abort()
    await expect(job).rejects.toMatchObject({ name: 'AbortError' })
    expect(executeRequests()).toHaveLength(1)
  })

  it('sends the token verbatim as Authorization and keeps it out of errors', async () => {
    const token = 'tok-3f9c1a'
    server.inject({ type: 'status', status: 401, body: JSON.stringify({ message: `invalid key ${token}` }) })
    const error = await failure(client({ token }).execute(hello))
    expect(executeRequests()[0]?.headers.authorization).toBe(token)
    expect(error).toMatchObject({ kind: 'rejected', status: 401 })
    expect(error.message).toBe('invalid key [redacted]')
  })

  it('sends credentials in the URL as Basic auth', async () => {
    await client({ url: server.url.replace('http://', 'http://ann:pw@') }).execute(hello)
    expect(executeRequests()[0]?.headers.authorization).toBe(`Basic ${Buffer.from('ann:pw').toString('base64')}`)
  })

  it('fetches runtimes once per engine', async () => {
    const engine = client()
    const [first, second] = await Promise.all([engine.runtimes(), engine.runtimes()])
    expect(await engine.runtimes()).toBe(first)
    expect(second).toBe(first)
    expect(first.map((rt) => rt.language)).toContain('python')
    expect(server.requests.filter((r) => r.path === '/api/v2/runtimes')).toHaveLength(1)
  })

  it('does not memoise a failed runtimes fetch', async () => {
    server.inject({ type: 'status', status: 500 })
    const engine = client()
    await expect(engine.runtimes()).rejects.toMatchObject({ kind: 'server' })
    expect((await engine.runtimes()).length).toBeGreaterThan(0)
    expect(server.requests.filter((r) => r.path === '/api/v2/runtimes')).toHaveLength(2)
  })

  it('rejects a runtimes answer of the wrong shape', async () => {
    server.inject({ type: 'status', status: 200, body: '{"not":"a list"}' })
    await expect(client().runtimes()).rejects.toMatchObject({ kind: 'server', message: expect.stringContaining('list of runtimes') })
  })
})

describe('Piston client, server down', () => {
  it('is unreachable, names the URL and leaks no credentials', async () => {
    const gone = await startPistonServer()
    await gone.close()
    const engine = createPistonEngine({ url: gone.url.replace('http://', 'http://ann7:s3cret@'), token: 'tok-3f9c1a', retries: 2, ...fast })
    const error = await failure(engine.execute(hello))
    await engine.close()
    expect(error.kind).toBe('unreachable')
    expect(error.message).toBe(`cannot reach Piston at ${gone.url}: ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:${gone.port}) after 3 attempts`)
    expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toMatch(/s3cret|tok-3f9c1a|ann7/)
  })
})

describe('createPistonEngine options', () => {
  it.each([
    [{ url: 'localhost:2000' }, 'url must be an absolute http(s) URL'],
    [{ url: 'ftp://ann:s3cret@example.org/api' }, 'url must be an absolute http(s) URL'],
    [{ url: 'http://x/api/v2', token: '' }, 'token must be a non-empty string'],
    [{ url: 'http://x/api/v2', retries: 1.5 }, 'retries must be an integer >= 0'],
    [{ url: 'http://x/api/v2', retryBaseMs: -1 }, 'retryBaseMs must be a number >= 0'],
    [{ url: 'http://x/api/v2', retryBaseMs: 100, retryMaxMs: 10 }, 'retryMaxMs must be >= retryBaseMs'],
    [{ url: 'http://x/api/v2', requestTimeoutMs: 0 }, 'requestTimeoutMs must be > 0'],
    [{ url: 'http://x/api/v2', connections: 0 }, 'connections must be >= 1'],
  ])('%o is refused', (options, message) => {
    expect(() => createPistonEngine(options as PistonEngineOptions)).toThrow(`createPistonEngine: ${message}`)
    expect(() => createPistonEngine(options as PistonEngineOptions)).not.toThrow(/s3cret/)
  })
})

describe('retryDelayMs', () => {
  const policy = { retryBaseMs: 100, retryMaxMs: 1000 }

  it('uses full jitter under an exponential ceiling', () => {
    expect(retryDelayMs(0, undefined, policy, () => 0.5)).toBe(50)
    expect(retryDelayMs(2, undefined, policy, () => 0.5)).toBe(200)
    expect(retryDelayMs(10, undefined, policy, () => 0.999)).toBeCloseTo(999)
    expect(retryDelayMs(3, undefined, policy, () => 0)).toBe(0)
  })

  it('follows Retry-After in seconds or as a date, capped', () => {
    expect(retryDelayMs(0, '0', policy)).toBe(0)
    expect(retryDelayMs(0, '1', { retryBaseMs: 1, retryMaxMs: 5000 })).toBe(1000)
    expect(retryDelayMs(0, '120', policy)).toBe(1000)
    expect(retryDelayMs(0, 'Wed, 21 Oct 2015 07:28:00 GMT', policy)).toBe(0)
    const later = new Date(Date.now() + 60_000).toUTCString()
    expect(retryDelayMs(0, later, policy)).toBe(1000)
  })

  it('falls back to backoff on an unreadable Retry-After', () => {
    expect(retryDelayMs(1, 'soon', policy, () => 0.5)).toBe(100)
  })
})
