/**
 * The real Caddy with deploy/Caddyfile in front of the Piston-protocol test
 * server, over real HTTP on 127.0.0.1. Only environment variables differ from
 * production (see test/deploy/caddy.ts).
 */
import { request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { setTimeout as delay } from 'node:timers/promises'
import { join } from 'node:path'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPistonServer } from '../piston-server/index.js'
import type { PistonServer } from '../piston-server/index.js'
import { caddyVersion, REPO_ROOT, startCaddy } from './caddy.js'
import type { CaddyInstance } from './caddy.js'

const BLOG = 'https://blog.example'
const SECOND_BLOG = 'https://www.blog.example'
const LIVE = 'https://run.blog.example'

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
}

async function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const res = await request(url, {
    method: (init.method ?? 'GET') as 'GET',
    headers: init.headers ?? {},
    ...(init.body !== undefined ? { body: init.body } : {}),
  })
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() }
}

function header(answer: Answer, name: string): string | undefined {
  const value = answer.headers[name.toLowerCase()]
  return Array.isArray(value) ? value.join(', ') : value
}

const executeBody = (code: string) =>
  JSON.stringify({ language: 'python', version: '*', files: [{ name: 'main.py', content: code }] })

const json = { 'content-type': 'application/json' }

/**
 * The first GET /runtimes makes the test server probe local interpreters,
 * which can outlast Caddy's first health check on a busy machine. Answered
 * once, it is cached; do that before Caddy starts checking.
 */
async function warm(...servers: PistonServer[]): Promise<void> {
  for (const server of servers) expect((await call(`${server.url}/runtimes`)).status).toBe(200)
}

/** Requests the upstream saw, other than Caddy's own health checks. */
function seenByUpstream(server: PistonServer): string[] {
  return server.requests
    .filter((r) => !String(r.headers['user-agent'] ?? '').startsWith('Go-http-client'))
    .map((r) => `${r.method} ${r.path}`)
}

/**
 * Sends `head` as it is over a new connection (TLS with `servername` when
 * given), so that header case, order and repetition are exactly the test's,
 * and returns the answer's status and head, or status 'closed' when the
 * server closed the connection (or refused the handshake) without answering.
 */
async function rawAnswer(base: string, head: string, servername?: string): Promise<{ status: number | 'closed'; head: string }> {
  const port = Number(new URL(base).port)
  const socket =
    servername === undefined
      ? connect({ host: '127.0.0.1', port })
      : tlsConnect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false })
  socket.write(head)
  let received = ''
  try {
    for await (const chunk of socket) {
      received += String(chunk)
      if (received.includes('\r\n\r\n')) break
    }
  } catch {
    // A reset or a failed handshake is a close too.
  } finally {
    socket.destroy()
  }
  const status = /^HTTP\/1\.[01] (\d{3}) /.exec(received)
  return { status: status ? Number(status[1]) : 'closed', head: received }
}

async function rawStatus(base: string, head: string, servername?: string): Promise<number | 'closed'> {
  return (await rawAnswer(base, head, servername)).status
}

function expectSecurityHeaders(answer: Answer): void {
  expect(header(answer, 'server')).toBeUndefined()
  expect(header(answer, 'x-powered-by')).toBeUndefined()
  expect(header(answer, 'x-content-type-options')).toBe('nosniff')
  expect(header(answer, 'referrer-policy')).toBe('strict-origin-when-cross-origin')
  expect(header(answer, 'x-frame-options')).toBe('DENY')
  expect(header(answer, 'permissions-policy')).toContain('camera=()')
  expect(header(answer, 'strict-transport-security')).toMatch(/max-age=\d+/)
  expect(header(answer, 'content-security-policy')).toContain("frame-ancestors 'none'")
}

beforeAll(() => {
  // Fails (never skips) with a hint when caddy is missing.
  caddyVersion()
})

describe('Caddy in front of one Piston', () => {
  let piston: PistonServer
  let caddy: CaddyInstance
  let dist: string

  beforeAll(async () => {
    dist = await mkdtemp(join(tmpdir(), 'dist-'))
    await mkdir(join(dist, 'assets'))
    await mkdir(join(dist, 'posts', 'hello'), { recursive: true })
    const page = `<!doctype html><html><head><link rel="stylesheet" href="/assets/site.0f1e2d.css"></head><body>${'<p>hello runnable blog</p>'.repeat(80)}<script src="/assets/app.abc123.js"></script></body></html>`
    await writeFile(join(dist, 'index.html'), page)
    await writeFile(join(dist, 'posts', 'hello', 'index.html'), page)
    await writeFile(join(dist, 'assets', 'app.abc123.js'), `console.log("runnable");\n`.repeat(50))
    await writeFile(join(dist, 'assets', 'site.0f1e2d.css'), 'body{margin:0}\n')
    await writeFile(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
    // What must never be served, should it reach dist/ (the build does not copy dotfiles).
    await mkdir(join(dist, '.git'))
    await writeFile(join(dist, '.env'), 'SECRET=1\n')
    await writeFile(join(dist, '.git', 'config'), '[core] SECRET\n')
    await writeFile(join(dist, 'posts', '.secret'), 'SECRET\n')
    await mkdir(join(dist, '.well-known', 'acme-challenge'), { recursive: true })
    await writeFile(join(dist, '.well-known', '.hidden'), 'SECRET\n')
    for (const path of ['/.well-known/security.txt', '/.well-known/acme-challenge/token-123']) {
      await writeFile(join(dist, path), `public ${path}`)
    }

    // cors: true makes the upstream add "Access-Control-Allow-Origin: *" to
    // every answer, as a naive Piston set-up would: Caddy must not pass it on.
    piston = await startPistonServer({ cors: true })
    await warm(piston)
    caddy = await startCaddy({
      env: {
        PISTON_UPSTREAMS: `127.0.0.1:${piston.port}`,
        ALLOWED_ORIGINS: `${BLOG} ${SECOND_BLOG}`,
        LIVE_ENDPOINT: LIVE,
        SITE_ROOT: dist,
        // Production waits 15 s for a body; the slow-body test need not.
        CADDY_READ_BODY_TIMEOUT: '2s',
      },
    })
  })

  afterAll(async () => {
    await caddy?.stop()
    await piston?.close()
    if (dist) await rm(dist, { recursive: true, force: true })
  })

  it('passes GET /api/v2/runtimes through, with CORS for an allowed origin', async () => {
    const direct = await call(`${piston.url}/runtimes`)
    const proxied = await call(`${caddy.api}/api/v2/runtimes`, { headers: { origin: BLOG } })
    expect(proxied.status).toBe(200)
    expect(JSON.parse(proxied.text)).toEqual(JSON.parse(direct.text))
    expect(header(proxied, 'access-control-allow-origin')).toBe(BLOG)
    expect(header(proxied, 'access-control-expose-headers')).toBe('Content-Length, Retry-After')
    expect(header(proxied, 'vary')).toMatch(/Origin/)
    expectSecurityHeaders(proxied)

    const second = await call(`${caddy.api}/api/v2/runtimes`, { headers: { origin: SECOND_BLOG } })
    expect(header(second, 'access-control-allow-origin')).toBe(SECOND_BLOG)
  })

  it('passes POST /api/v2/execute through and runs the job', async () => {
    const before = piston.executions
    const answer = await call(`${caddy.api}/api/v2/execute`, {
      method: 'POST',
      headers: { ...json, origin: BLOG, cookie: 'session=secret', authorization: 'Bearer nope' },
      body: executeBody('print("through caddy")'),
    })
    expect(answer.status).toBe(200)
    const result = JSON.parse(answer.text) as { run: { stdout: string; code: number } }
    expect(result.run.stdout).toBe('through caddy\n')
    expect(result.run.code).toBe(0)
    expect(piston.executions).toBe(before + 1)
    expect(header(answer, 'access-control-allow-origin')).toBe(BLOG)
    expectSecurityHeaders(answer)
    // The reader's cookies and credentials never reach Piston.
    const seen = piston.requests.filter((r) => r.path === '/api/v2/execute').at(-1)
    expect(seen?.headers.cookie).toBeUndefined()
    expect(seen?.headers.authorization).toBeUndefined()
    expect(seen?.headers.origin).toBeUndefined()
  })

  it('passes Piston errors through unchanged (400 for an unknown runtime)', async () => {
    const answer = await call(`${caddy.api}/api/v2/execute`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ language: 'cobol', version: '*', files: [{ content: 'x' }] }),
    })
    expect(answer.status).toBe(400)
    expect(JSON.parse(answer.text)).toEqual({ message: 'cobol-* runtime is unknown' })
  })

  it('answers a body trickled a byte a second with 408 and the security headers, and Piston never sees the job', async () => {
    const executionsBefore = piston.executions
    const body = executeBody('print("slow")')
    const port = Number(new URL(caddy.api).port)
    const socket = connect({ host: '127.0.0.1', port })
    socket.write(`POST /api/v2/execute HTTP/1.1\r\nHost: ${new URL(caddy.api).host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`)
    // The fault itself: a byte a second, far slower than the 2 s Caddy allows for the whole body.
    let sent = 0
    const trickle = setInterval(() => sent < body.length && socket.write(body[sent++]!), 1000)
    let received = ''
    try {
      for await (const chunk of socket) {
        received += String(chunk)
        if (received.includes('\r\n\r\n')) break
      }
    } finally {
      clearInterval(trickle)
      socket.destroy()
    }
    expect(sent).toBeLessThan(body.length)
    const [statusLine, ...lines] = received.split('\r\n\r\n')[0]!.split('\r\n')
    expect(statusLine).toBe('HTTP/1.1 408 Request Timeout')
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]))
    expectSecurityHeaders({ status: 408, headers, text: '' })
    expect(piston.executions).toBe(executionsBefore)
  })

  it('passes a body whole, multi-byte characters included', async () => {
    const answer = await call(`${caddy.api}/api/v2/execute`, { method: 'POST', headers: json, body: executeBody('print("héllo ✓ 😀")') })
    expect(answer.status).toBe(200)
    expect((JSON.parse(answer.text) as { run: { stdout: string } }).run.stdout).toBe('héllo ✓ 😀\n')
  })

  it('compresses API answers', async () => {
    const answer = await call(`${caddy.api}/api/v2/execute`, {
      method: 'POST',
      headers: { ...json, 'accept-encoding': 'gzip' },
      body: executeBody('print("compress me " * 40)'),
    })
    expect(answer.status).toBe(200)
    expect(header(answer, 'content-encoding')).toBe('gzip')
  })

  it('refuses package management, the WebSocket and everything else, and Piston never sees them', async () => {
    const seenBefore = seenByUpstream(piston).length
    const packages = [
      await call(`${caddy.api}/api/v2/packages`),
      await call(`${caddy.api}/api/v2/packages`, { method: 'POST', headers: json, body: '{"language":"python","version":"*"}' }),
      await call(`${caddy.api}/api/v2/packages`, { method: 'DELETE', headers: json, body: '{"language":"python","version":"3.11.7"}' }),
      await call(`${caddy.api}/api/v2/packages/python/3.11.7`),
      await call(`${caddy.api}/API/V2/PACKAGES`),
      await call(`${caddy.api}/api/v2/connect`),
    ]
    for (const answer of packages) {
      expect(answer.status).toBe(403)
      expectSecurityHeaders(answer)
    }

    const others = [
      await call(`${caddy.api}/`),
      await call(`${caddy.api}/api/v2`),
      await call(`${caddy.api}/api/v2/execute/`),
      await call(`${caddy.api}/api/v2/runtimes/../packages`),
      await call(`${caddy.api}/api/v3/execute`, { method: 'POST', headers: json, body: executeBody('print(1)') }),
      await call(`${caddy.api}/api/v2/%70ackages`),
    ]
    for (const answer of others) {
      expect([403, 404]).toContain(answer.status)
      expectSecurityHeaders(answer)
    }

    const wrongMethods = [
      await call(`${caddy.api}/api/v2/execute`),
      await call(`${caddy.api}/api/v2/runtimes`, { method: 'POST', headers: json, body: '{}' }),
      await call(`${caddy.api}/api/v2/execute`, { method: 'DELETE' }),
    ]
    for (const answer of wrongMethods) expect(answer.status).toBe(405)
    expect(header(wrongMethods[0]!, 'allow')).toBe('POST, OPTIONS')

    expect(seenByUpstream(piston).slice(seenBefore)).toEqual([])
    expect(piston.requests.some((r) => /packages|connect/i.test(r.path))).toBe(false)
  })

  it('refuses every form of upgrade request, and Piston never sees one', async () => {
    const seenBefore = seenByUpstream(piston).length
    const websocket = 'Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'
    const forms = [
      `Connection: Upgrade\r\n${websocket}`,
      `Connection: upgrade\r\n${websocket}`,
      `Connection: keep-alive, upgrade\r\n${websocket}`,
      `Connection: keep-alive,Upgrade\r\n${websocket}`,
      `Connection: UPGRADE, keep-alive\r\n${websocket}`,
      `connection: keep-alive\r\nconnection: uPgRaDe\r\n${websocket}`,
      // Either half alone is refused too.
      `Connection: keep-alive\r\n${websocket}`,
      'Upgrade: h2c\r\n',
      'Connection: keep-alive, Upgrade\r\n',
    ]
    for (const path of ['/api/v2/runtimes', '/api/v2/connect', '/api/v2/execute']) {
      for (const headers of forms) {
        expect(await rawStatus(caddy.api, `GET ${path} HTTP/1.1\r\nHost: ${new URL(caddy.api).host}\r\n${headers}\r\n`), `${path} ${headers}`).toBe(403)
      }
    }
    expect(seenByUpstream(piston).slice(seenBefore)).toEqual([])
    // A request that only mentions the word elsewhere still passes.
    const plain = `GET /api/v2/runtimes HTTP/1.1\r\nHost: ${new URL(caddy.api).host}\r\nConnection: close\r\nX-Note: upgrade\r\n\r\n`
    expect(await rawStatus(caddy.api, plain)).toBe(200)
  })

  it('closes the connection for an unknown Host on both sites, serving nothing', async () => {
    for (const base of [caddy.api, caddy.site]) {
      for (const host of ['evil.example', '127.0.0.2', `127.0.0.1.evil.example:${new URL(base).port}`, 'localhost']) {
        expect(await rawStatus(base, `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`), `${base} ${host}`).toBe('closed')
      }
      // HTTP/1.0 without any Host.
      expect(await rawStatus(base, 'GET / HTTP/1.0\r\n\r\n')).toBe('closed')
    }
  })

  it('gives a disallowed origin no CORS allowance, even though Piston says "*"', async () => {
    for (const origin of ['https://evil.example', 'https://blog.example.evil.example', `${BLOG} ${SECOND_BLOG}`, 'null', 'http://blog.example']) {
      const answer = await call(`${caddy.api}/api/v2/runtimes`, { headers: { origin } })
      expect(answer.status).toBe(200)
      expect(header(answer, 'access-control-allow-origin')).toBeUndefined()
    }
    // No Origin at all (curl, the build): served, no CORS headers either.
    const plain = await call(`${caddy.api}/api/v2/runtimes`)
    expect(plain.status).toBe(200)
    expect(header(plain, 'access-control-allow-origin')).toBeUndefined()
  })

  it('answers an allowed preflight itself with methods, headers and max-age', async () => {
    const seenBefore = seenByUpstream(piston).length
    const answer = await call(`${caddy.api}/api/v2/execute`, {
      method: 'OPTIONS',
      headers: { origin: BLOG, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    })
    expect(answer.status).toBe(204)
    expect(header(answer, 'access-control-allow-origin')).toBe(BLOG)
    expect(header(answer, 'access-control-allow-methods')).toBe('GET, POST, OPTIONS')
    expect(header(answer, 'access-control-allow-headers')?.toLowerCase()).toContain('content-type')
    expect(header(answer, 'access-control-max-age')).toBe('86400')
    expect(header(answer, 'vary')).toMatch(/Origin/)
    expect(header(answer, 'server')).toBeUndefined()

    const denied = await call(`${caddy.api}/api/v2/execute`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(denied.status).toBe(403)
    expect(header(denied, 'access-control-allow-origin')).toBeUndefined()
    expect(header(denied, 'access-control-allow-methods')).toBeUndefined()

    const elsewhere = await call(`${caddy.api}/api/v2/packages`, {
      method: 'OPTIONS',
      headers: { origin: BLOG, 'access-control-request-method': 'POST' },
    })
    expect(elsewhere.status).toBe(403)
    expect(header(elsewhere, 'access-control-allow-methods')).toBeUndefined()

    expect(seenByUpstream(piston).slice(seenBefore)).toEqual([])
  })

  it('refuses an oversized body with 413 before Piston sees it, and accepts one just under the cap', async () => {
    const executionsBefore = piston.executions
    const seenBefore = seenByUpstream(piston).length
    const big = executeBody(`# ${'x'.repeat(80 * 1024)}\nprint(1)`)
    const answer = await call(`${caddy.api}/api/v2/execute`, { method: 'POST', headers: { ...json, origin: BLOG }, body: big })
    expect(answer.status).toBe(413)
    expectSecurityHeaders(answer)
    expect(piston.executions).toBe(executionsBefore)
    expect(seenByUpstream(piston).slice(seenBefore)).toEqual([])

    const fits = executeBody(`# ${'x'.repeat(60 * 1024)}\nprint("fits")`)
    expect(Buffer.byteLength(fits)).toBeLessThan(65536)
    const ok = await call(`${caddy.api}/api/v2/execute`, { method: 'POST', headers: json, body: fits })
    expect(ok.status).toBe(200)
    expect((JSON.parse(ok.text) as { run: { stdout: string } }).run.stdout).toBe('fits\n')
  })

  it('requires a declared length for POST (chunked bodies get 411)', async () => {
    const seenBefore = seenByUpstream(piston).length
    const status = await new Promise<number>((done, fail) => {
      const req = httpRequest(`${caddy.api}/api/v2/execute`, { method: 'POST', headers: { ...json, 'transfer-encoding': 'chunked' } })
      req.once('response', (res) => {
        res.resume()
        done(res.statusCode ?? 0)
      })
      req.once('error', fail)
      req.write(executeBody('print(1)'))
      req.end()
    })
    expect(status).toBe(411)
    expect(seenByUpstream(piston).slice(seenBefore)).toEqual([])
  })

  it('serves the site HTML with no-cache, a strict CSP and the security headers', async () => {
    for (const path of ['/', '/index.html', '/posts/hello/']) {
      const answer = await call(`${caddy.site}${path}`, { headers: { 'accept-encoding': 'gzip' } })
      expect(answer.status).toBe(200)
      expect(header(answer, 'content-type')).toMatch(/^text\/html/)
      expect(header(answer, 'cache-control')).toBe('no-cache')
      expect(header(answer, 'content-encoding')).toBe('gzip')
      expectSecurityHeaders(answer)
      const csp = header(answer, 'content-security-policy') ?? ''
      const directives = Object.fromEntries(
        csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values.join(' ')]),
      )
      expect(directives['default-src']).toBe("'none'")
      expect(directives['script-src']).toBe("'self'")
      expect(directives['style-src']).toBe("'self'")
      expect(directives['connect-src']).toBe(LIVE)
      expect(directives['frame-ancestors']).toBe("'none'")
      expect(csp).not.toContain('unsafe-inline')
      expect(csp).not.toContain('*')
    }
  })

  it('serves hashed assets as immutable for a year, other files briefly', async () => {
    const js = await call(`${caddy.site}/assets/app.abc123.js`)
    expect(js.status).toBe(200)
    expect(header(js, 'content-type')).toMatch(/javascript/)
    expect(header(js, 'cache-control')).toBe('public, max-age=31536000, immutable')
    expectSecurityHeaders(js)

    const css = await call(`${caddy.site}/assets/site.0f1e2d.css`)
    expect(header(css, 'cache-control')).toBe('public, max-age=31536000, immutable')

    const icon = await call(`${caddy.site}/favicon.svg`)
    expect(icon.status).toBe(200)
    expect(header(icon, 'cache-control')).toBe('public, max-age=3600')

    const missing = await call(`${caddy.site}/assets/nope.abcdef.js`)
    expect(missing.status).toBe(404)
    expect(header(missing, 'server')).toBeUndefined()

    const post = await call(`${caddy.site}/index.html`, { method: 'POST', body: 'x' })
    expect(post.status).toBe(405)
  })

  it('never serves a dotfile or dot-folder, except under /.well-known/', async () => {
    const host = new URL(caddy.site).host
    const refused = ['/.env', '/.git/config', '/.git/', '/.git', '/posts/.secret', '/%2eenv', '/%2Egit/config', '//.env', '/.well-known/.hidden', '/.well-known/../.env', '/posts/../.env']
    for (const path of refused) {
      const status = await rawStatus(caddy.site, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)
      expect(status, path).toBe(404)
    }
    for (const path of ['/.env', '/.git/config']) {
      const answer = await call(`${caddy.site}${path}`)
      expect(answer.text).not.toContain('SECRET')
      expectSecurityHeaders(answer)
    }
    for (const path of ['/.well-known/security.txt', '/.well-known/acme-challenge/token-123']) {
      const answer = await call(`${caddy.site}${path}`)
      expect(answer.status, path).toBe(200)
      expect(answer.text).toBe(`public ${path}`)
    }
  })
})

describe('Caddy in front of a failing Piston', () => {
  let piston: PistonServer
  let caddy: CaddyInstance

  beforeAll(async () => {
    piston = await startPistonServer()
    await warm(piston)
    // One health check, at start: the test server gives its faults to whichever request comes next.
    caddy = await startCaddy({ env: { PISTON_UPSTREAMS: `127.0.0.1:${piston.port}`, ALLOWED_ORIGINS: BLOG, PISTON_HEALTH_INTERVAL: '1h' } })
  })

  afterAll(async () => {
    await caddy?.stop()
    await piston?.close()
  })

  it("replaces a Piston failure's own body (a stack trace) with a short message, keeping the status and Retry-After", async () => {
    // Its one health check is in: the faults below go to the jobs, not to a probe.
    while (!piston.requests.some((r) => String(r.headers['user-agent'] ?? '').startsWith('Go-http-client'))) await delay(25)
    const stack = JSON.stringify({ stack: 'TypeError: x\n    at /piston_api/node_modules/express/lib/router/index.js:284:7' })
    piston.inject({ type: 'status', status: 500, body: stack }, { type: 'status', status: 503, retryAfter: '7', body: stack })
    for (const [status, retryAfter] of [[500, undefined], [503, '7']] as const) {
      const answer = await call(`${caddy.api}/api/v2/execute`, { method: 'POST', headers: { ...json, origin: BLOG }, body: executeBody('print(1)') })
      expect(answer.status).toBe(status)
      expect(JSON.parse(answer.text)).toEqual({ message: `the code runner failed (${status}); try again later` })
      expect(answer.text).not.toMatch(/node_modules|stack|TypeError/)
      expect(header(answer, 'retry-after')).toBe(retryAfter)
      expect(header(answer, 'access-control-allow-origin')).toBe(BLOG)
      expectSecurityHeaders(answer)
    }
    expect(piston.clearFaults()).toEqual([])
  })
})

describe('Caddy with production host names (HTTPS from its local CA, on two free ports)', () => {
  const SITE = 'blog.example'
  const API = 'run.blog.example'
  let piston: PistonServer
  let caddy: CaddyInstance
  let dist: string
  let http: string

  const get = (host: string, path = '/') => `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`

  beforeAll(async () => {
    dist = await mkdtemp(join(tmpdir(), 'dist-'))
    await writeFile(join(dist, 'index.html'), '<!doctype html><p>hello</p>')
    piston = await startPistonServer()
    await warm(piston)
    caddy = await startCaddy({
      names: { api: API, site: SITE },
      env: { PISTON_UPSTREAMS: `127.0.0.1:${piston.port}`, ALLOWED_ORIGINS: `https://${SITE}`, SITE_ROOT: dist },
    })
    http = `http://127.0.0.1:${caddy.ports[0]}`
    // The local CA issues certificates in the background: poll until the
    // blog answers over TLS (bounded).
    for (let i = 0; i < 200 && (await rawStatus(caddy.site, get(SITE), SITE)) !== 200; i++) await delay(50)
  })

  afterAll(async () => {
    await caddy?.stop()
    await piston?.close()
    if (dist) await rm(dist, { recursive: true, force: true })
  })

  it('serves both names over HTTPS and redirects them from HTTP', async () => {
    const site = await rawAnswer(caddy.site, get(SITE), SITE)
    expect(site.status).toBe(200)
    expect(site.head).toMatch(/^strict-transport-security: max-age=\d+/im)
    expect(await rawStatus(caddy.api, get(API, '/api/v2/runtimes'), API)).toBe(200)
    for (const host of [SITE, API]) {
      const redirect = await rawAnswer(http, get(host, '/x'))
      expect(redirect.status).toBe(308)
      expect(redirect.head).toMatch(new RegExp(`^location: https://${host.replace(/\./g, '\\.')}[:/]`, 'im'))
    }
  })

  it('closes the connection for any other name, on HTTP and on HTTPS', async () => {
    for (const host of ['evil.example', '127.0.0.1', `${SITE}.evil.example`]) {
      expect(await rawStatus(http, get(host)), `http ${host}`).toBe('closed')
      // A valid certificate's name, another Host.
      expect(await rawStatus(caddy.site, get(host), SITE), `https ${host}`).toBe('closed')
      // A name Caddy has no certificate for.
      expect(await rawStatus(caddy.site, get(host), host === '127.0.0.1' ? 'localhost' : host), `sni ${host}`).toBe('closed')
    }
    expect(await rawStatus(http, 'GET / HTTP/1.0\r\n\r\n')).toBe('closed')
  })
})

describe('Caddy in front of two Piston replicas', () => {
  let live: PistonServer
  let doomed: PistonServer
  let caddy: CaddyInstance

  beforeAll(async () => {
    live = await startPistonServer()
    doomed = await startPistonServer()
    await warm(live, doomed)
    // The Caddyfile's own health settings: they are what is under test.
    caddy = await startCaddy({ env: { PISTON_UPSTREAMS: `127.0.0.1:${doomed.port} 127.0.0.1:${live.port}`, ALLOWED_ORIGINS: BLOG } })
  })

  afterAll(async () => {
    await caddy?.stop()
    await live?.close()
    await doomed?.close()
  })

  it('takes a dead replica out of rotation within about a second, then answers every job', async () => {
    // least_conn breaks ties at random: four jobs all went to one replica one run in sixteen.
    for (let i = 0; doomed.executions === 0 || live.executions === 0; i++) {
      expect(i, 'both replicas take jobs').toBeLessThan(64)
      const answer = await call(`${caddy.api}/api/v2/execute`, { method: 'POST', headers: json, body: executeBody(`print(${i})`) })
      expect(answer.status).toBe(200)
    }

    // Its port refuses from now on. Jobs one at a time, so that least_conn
    // sees two idle replicas and would pick the dead one half of the time.
    await doomed.close()
    const killedAt = performance.now()
    let failures = 0
    let lastFailureMs = 0
    let streak = 0
    // Until 25 answers in a row: bounded by attempts, not by sleeping.
    for (let i = 0; i < 400 && streak < 25; i++) {
      const answer = await call(`${caddy.api}/api/v2/execute`, { method: 'POST', headers: json, body: executeBody(`print(${i})`) })
      if (answer.status === 200) {
        expect((JSON.parse(answer.text) as { run: { stdout: string } }).run.stdout).toBe(`${i}\n`)
        streak++
      } else {
        // Caddy 2.6 cannot resend the POST after the refused dial: 502, the client retries.
        expect(answer.status).toBe(502)
        failures++
        streak = 0
        lastFailureMs = performance.now() - killedAt
      }
    }
    expect(streak).toBe(25)
    // Probed every second (2 s timeout): the dead replica is not chosen for long.
    expect(lastFailureMs).toBeLessThan(3000)
    expect(failures).toBeLessThan(40)
    // GET needs no body: Caddy retries it on the live replica itself.
    expect((await call(`${caddy.api}/api/v2/runtimes`)).status).toBe(200)
  }, 30_000)
})

describe('Caddy with the optional API token', () => {
  let piston: PistonServer
  let caddy: CaddyInstance

  beforeAll(async () => {
    piston = await startPistonServer()
    await warm(piston)
    caddy = await startCaddy({
      env: {
        PISTON_UPSTREAMS: `127.0.0.1:${piston.port}`,
        ALLOWED_ORIGINS: BLOG,
        API_TOKEN: 'current-token-0123456789',
        API_TOKEN_NEXT: 'next-token-9876543210',
      },
    })
  })

  afterAll(async () => {
    await caddy?.stop()
    await piston?.close()
  })

  it('refuses requests without the token, accepts the current and the next one, and never forwards it', async () => {
    const seenBefore = seenByUpstream(piston).length
    for (const authorization of [undefined, 'Bearer wrong', 'current-token-0123456789', 'Bearer ', 'Basic current-token-0123456789']) {
      const answer = await call(`${caddy.api}/api/v2/runtimes`, { headers: authorization ? { authorization } : {} })
      expect(answer.status).toBe(401)
      expectSecurityHeaders(answer)
    }
    expect(seenByUpstream(piston).slice(seenBefore)).toEqual([])

    for (const token of ['current-token-0123456789', 'next-token-9876543210']) {
      const answer = await call(`${caddy.api}/api/v2/execute`, {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${token}` },
        body: executeBody('print("authorised")'),
      })
      expect(answer.status).toBe(200)
    }
    expect(piston.requests.every((r) => r.headers.authorization === undefined)).toBe(true)

    // A preflight carries no credentials; it still works for the site.
    const preflight = await call(`${caddy.api}/api/v2/execute`, {
      method: 'OPTIONS',
      headers: { origin: BLOG, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    })
    expect(preflight.status).toBe(204)
    expect(header(preflight, 'access-control-allow-headers')).toContain('Authorization')

    // Package management stays refused even with a valid token.
    const packages = await call(`${caddy.api}/api/v2/packages`, { headers: { authorization: 'Bearer current-token-0123456789' } })
    expect(packages.status).toBe(403)
  })
})

describe('Caddy with a site CSP of the deploy\'s own (SITE_CSP)', () => {
  it('sends SITE_CSP followed by the live endpoint, and compose passes the Caddyfile\'s default', async () => {
    const dist = await mkdtemp(join(tmpdir(), 'dist-'))
    await writeFile(join(dist, 'index.html'), '<!doctype html><style>body{color:red}</style><p>inline</p>')
    const own = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self'"
    const caddy = await startCaddy({ env: { SITE_ROOT: dist, SITE_CSP: own, LIVE_ENDPOINT: LIVE, PISTON_UPSTREAMS: '127.0.0.1:9' } })
    try {
      const page = await call(`${caddy.site}/`)
      expect(page.status).toBe(200)
      expect(header(page, 'content-security-policy')).toBe(`${own}; connect-src ${LIVE}`)
    } finally {
      await caddy.stop()
      await rm(dist, { recursive: true, force: true })
    }
    // docker-compose.yml repeats the default (an empty value would mean no policy at all).
    const caddyfile = await readFile(join(REPO_ROOT, 'deploy/Caddyfile'), 'utf8')
    const compose = await readFile(join(REPO_ROOT, 'deploy/docker-compose.yml'), 'utf8')
    const fallback = /\{\$SITE_CSP:([^}]+)\}/.exec(caddyfile)?.[1]
    expect(fallback).toContain("style-src 'self';")
    expect(compose).toContain(`SITE_CSP: "\${SITE_CSP:-${fallback}}"`)
  })
})
