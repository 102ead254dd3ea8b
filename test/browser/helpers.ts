/**
 * Browser-test plumbing, all on 127.0.0.1: a static server for dist/ (with
 * the production Content-Security-Policy), a CORS proxy in front of the
 * Piston test server (as Caddy is in deploy/), and Chromium.
 */
import { readFile } from 'node:fs/promises'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import { type Browser, chromium } from 'playwright-core'

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function closer(server: Server): () => Promise<void> {
  return () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    server.closeAllConnections()
    return closed
  }
}

/** An origin on 127.0.0.1 where nothing listens: a port that was free a moment ago. */
export async function deadOrigin(): Promise<string> {
  const server = createServer()
  const origin = await listen(server)
  await closer(server)()
  return origin
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
}

export interface StaticServer {
  origin: string
  /** Paths requested, in order. */
  requests: string[]
  close(): Promise<void>
}

/**
 * Serves `root` as Caddy serves dist/, with the blog's Content-Security-Policy
 * from deploy/Caddyfile (no inline script or style; fetches only to `connectSrc`),
 * or with none when `csp` is false (a site whose pages carry inline scripts
 * and styles, as Astro's and Starlight's do).
 */
export async function serveDirectory(root: string, connectSrc = "'none'", { csp: strict = true } = {}): Promise<StaticServer> {
  const requests: string[] = []
  const csp = `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ${connectSrc}; base-uri 'none'; form-action 'none'`
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname)
    requests.push(path)
    const file = join(root, normalize(path), path.endsWith('/') ? 'index.html' : '')
    if (!file.startsWith(root + sep)) return void res.writeHead(404).end()
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', ...(strict && { 'content-security-policy': csp }) }).end(body),
      () => res.writeHead(404).end(),
    )
  })
  return { origin: await listen(server), requests, close: closer(server) }
}

export interface ApiProxy {
  /** The live endpoint: `{origin}/api/v2`. */
  url: string
  origin: string
  /** `METHOD path` of every request, preflights included. */
  requests: string[]
  close(): Promise<void>
}

/**
 * The public API as deploy/Caddyfile exposes it: answers CORS preflights
 * itself, forwards everything else to the Piston test server at `target`
 * (so injected faults hit the POST), exposes Retry-After to the page, and
 * drops the upstream request when the browser goes away (an aborted run).
 */
export async function startApiProxy(target: string): Promise<ApiProxy> {
  const requests: string[] = []
  const cors = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'Retry-After' }
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`)
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, POST, OPTIONS', 'access-control-allow-headers': 'Content-Type' }).end()
      return
    }
    const upstream = request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...cors })
      answer.pipe(res)
    })
    upstream.on('error', () => res.destroy())
    res.on('close', () => upstream.destroy())
    req.pipe(upstream)
  })
  const origin = await listen(server)
  return { url: `${origin}/api/v2`, origin, requests, close: closer(server) }
}
