/**
 * Reader cost of a built page: the JavaScript and CSS it ships (gzipped), and
 * the Piston requests loading it makes. The page is loaded for real in
 * headless Chromium (playwright-core, already a dev dependency) from a
 * static server on dist/, with the site built for live runs against a
 * counting Piston server, and every request the page makes is recorded.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import { gzipSync } from 'node:zlib'

export interface AssetCost {
  url: string
  bytes: number
  gzipBytes: number
}

export interface ReaderCost {
  page: string
  html: { bytes: number; gzipBytes: number }
  css: AssetCost[]
  js: AssetCost[]
  cssGzipBytes: number
  jsGzipBytes: number
  /** How the request count was established. */
  method: 'chromium' | 'static'
  /** Requests the page made while loading (document included), in the browser. */
  pageRequests?: string[]
  /** Requests the Piston server received while the page loaded and idled. */
  pistonRequests: number
  note?: string
}

const gz = (data: string | Buffer) => gzipSync(data).length

/** Assets a page references: stylesheets and scripts, external or inline. */
export function referencedAssets(html: string): { css: string[]; js: string[]; inlineCss: string[]; inlineJs: string[] } {
  const attr = (tag: string, name: string) => tag.match(new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i'))?.slice(2).find((v) => v !== undefined)
  const links = [...html.matchAll(/<link\b[^>]*>/gi)].map((m) => m[0]).filter((t) => /rel\s*=\s*["']?stylesheet/i.test(t))
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
  return {
    css: links.map((t) => attr(t, 'href')).filter((v): v is string => !!v),
    js: scripts.map((m) => attr(m[0], 'src')).filter((v): v is string => !!v),
    inlineCss: [...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => m[1]!),
    inlineJs: scripts.filter((m) => !attr(m[0], 'src') && m[2]!.trim()).map((m) => m[2]!),
  }
}

async function cost(dist: string, url: string): Promise<AssetCost> {
  const data = await readFile(join(dist, normalize(decodeURI(url.replace(/[?#].*$/, '')))))
  return { url, bytes: data.length, gzipBytes: gz(data) }
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json' }

/** Measures `dist/<slug>/index.html`; `countPiston` returns requests the Piston server has seen so far. */
export async function readerCost(dist: string, slug: string, countPiston: () => Promise<number>): Promise<ReaderCost> {
  const page = `/${slug}/index.html`
  const html = await readFile(join(dist, page), 'utf8')
  // Asset URLs are relative to the page.
  const fromPage = (url: string) => new URL(url, `http://x${page}`).pathname
  const found = referencedAssets(html)
  const refs = { ...found, css: found.css.map(fromPage), js: found.js.map(fromPage) }
  const css = [...(await Promise.all(refs.css.map((u) => cost(dist, u)))), ...refs.inlineCss.map((t, i) => ({ url: `inline style ${i + 1}`, bytes: Buffer.byteLength(t), gzipBytes: gz(t) }))]
  const js = [...(await Promise.all(refs.js.map((u) => cost(dist, u)))), ...refs.inlineJs.map((t, i) => ({ url: `inline script ${i + 1}`, bytes: Buffer.byteLength(t), gzipBytes: gz(t) }))]
  const base = {
    page,
    html: { bytes: Buffer.byteLength(html), gzipBytes: gz(html) },
    css,
    js,
    cssGzipBytes: css.reduce((n, a) => n + a.gzipBytes, 0),
    jsGzipBytes: js.reduce((n, a) => n + a.gzipBytes, 0),
  }

  const server = createServer((req, res) => {
    const path = normalize(decodeURI(new URL(req.url ?? '/', 'http://x').pathname)).replace(/\/$/, '/index.html')
    readFile(join(dist, path)).then(
      (data) => {
        res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' })
        res.end(data)
      },
      () => {
        res.writeHead(404)
        res.end()
      },
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  try {
    const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(existsSync)
    if (!executablePath) throw new Error('no Chromium installed')
    const { chromium } = await import('playwright-core')
    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] })
    try {
      const before = await countPiston()
      const browserPage = await browser.newPage()
      const seen: string[] = []
      browserPage.on('request', (r) => seen.push(`${r.method()} ${r.url().replace(origin, '')}`))
      await browserPage.goto(`${origin}/${slug}/`, { waitUntil: 'networkidle' })
      // Give deferred scripts and idle callbacks time to do anything they would.
      await browserPage.waitForTimeout(1500)
      const pistonRequests = (await countPiston()) - before
      return { ...base, method: 'chromium', pageRequests: seen, pistonRequests }
    } finally {
      await browser.close()
    }
  } catch (error) {
    // Without a browser: a page with no script cannot make a request at all.
    const scripts = js.length
    return {
      ...base,
      method: 'static',
      pistonRequests: 0,
      note: `no browser (${(error as Error).message.split('\n')[0]}); ${scripts === 0 ? 'the page has no script, so it cannot make requests' : `the page has ${scripts} script(s): requests NOT verified`}`,
    }
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
}
