/**
 * Blocks under Astro's client-side navigation (`<ClientRouter />`, issue
 * 23): a real Astro 7 build of a site whose layout has the router, two posts
 * with blocks, in Chromium. The router swaps the body without loading the
 * page again; the blocks must work on every page reached that way, forward
 * and back, with the page script loaded once.
 */
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { astroSite, linkModules, runAstro } from '../helpers/astro.js'
import { fence, makeProject } from '../helpers/project.js'
import { startPistonServer, type PistonServer } from '../piston-server/index.js'
import { type ApiProxy, launchChromium, serveDirectory, type StaticServer, startApiProxy } from './helpers.js'

declare const window: { __samePage?: boolean }

const layout = `---
import { ClientRouter } from 'astro:transitions'
const { frontmatter } = Astro.props
---
<html lang="en"><head><meta charset="utf-8"><title>{frontmatter.title}</title><ClientRouter /></head>
<body><nav><a href="/">Home</a> <a href="/posts/a/">Post A</a> <a href="/posts/b/">Post B</a></nav><main><slot /></main></body></html>
`
const page = (title: string, body: string) => `---\ntitle: ${title}\nlayout: ../../layouts/Router.astro\n---\n\n${body}`

let browser: Browser
let buildServer: PistonServer
let liveServer: PistonServer
let proxy: ApiProxy
let site: StaticServer
let project: Awaited<ReturnType<typeof makeProject>>

beforeAll(async () => {
  ;[browser, buildServer, liveServer, project] = await Promise.all([
    launchChromium(),
    startPistonServer(),
    startPistonServer({ cors: true }),
    makeProject({
      // The router's component lives in the linked node_modules: Vite must keep that path, not resolve it to this repo's.
      ...astroSite('{}', 'vite: { resolve: { preserveSymlinks: true } }'),
      'src/layouts/Router.astro': layout,
      'src/pages/index.md': page('Home', 'Posts: [A](/posts/a/), [B](/posts/b/).\n').replace('../../layouts', '../layouts'),
      'src/pages/posts/a.md': page('A', fence('python run title="In A"', 'print("from A")')),
      'src/pages/posts/b.md': page('B', fence('python run title="In B"', 'print("from B")')),
    }),
  ])
  await linkModules(project.dir)
  proxy = await startApiProxy(liveServer.origin)
  const build = await runAstro(project.dir, ['build'], { PISTON_URL: buildServer.url, RUNNABLE_LIVE_ENDPOINT: proxy.url })
  expect(build.code, build.stderr).toBe(0)
  // The router fetches the next page itself: this site's CSP lets it ('self').
  site = await serveDirectory(join(project.dir, 'dist'), `'self' ${proxy.origin}`)
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await Promise.all([site?.close(), proxy?.close(), buildServer?.close(), liveServer?.close(), project?.remove()])
})

/** Runs the block titled `title` on the current page and waits for the live result. */
async function runs(page: Page, title: string, printed: string) {
  const block = page.locator('figure.rb-snippet', { has: page.locator('.rb-title', { hasText: title }) })
  await expect.poll(() => block.getByRole('button', { name: 'Copy' }).isVisible(), { timeout: 10_000 }).toBe(true)
  await block.getByRole('button', { name: `Run ${title}`, exact: true }).click()
  await expect.poll(() => block.locator('.rb-runtime').textContent(), { timeout: 10_000 }).toMatch(/^ran just now with python /)
  expect(await block.locator('.rb-output').textContent()).toBe(`stdout${printed}\n`)
}

describe('blocks under <ClientRouter />', { timeout: 120_000 }, () => {
  it('work after navigation forward and back, with the page script loaded once', async () => {
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', (error) => errors.push(error.message))
      await page.goto(`${site.origin}/`)
      await page.evaluate(() => (window.__samePage = true))
      await page.getByRole('link', { name: 'Post A' }).first().click()
      await page.waitForURL('**/posts/a/')
      await runs(page, 'In A', 'from A')
      await page.getByRole('link', { name: 'Post B' }).first().click()
      await page.waitForURL('**/posts/b/')
      await runs(page, 'In B', 'from B')
      await page.goBack()
      await page.waitForURL('**/posts/a/')
      await runs(page, 'In A', 'from A')
      // The router swapped the pages: the document is the first one, and each of our scripts came once.
      expect(await page.evaluate(() => window.__samePage)).toBe(true)
      const scripts = site.requests.filter((path) => path.startsWith('/_runnable/') && path.endsWith('.js'))
      expect(scripts.filter((path) => path.includes('runnable-copy.'))).toHaveLength(1)
      expect(scripts.filter((path) => path.includes('runnable-live.'))).toHaveLength(1)
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
  })
})
