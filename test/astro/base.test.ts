/**
 * `runnable-blog/astro` in a blog-template site under a `base` path with
 * `trailingSlash: 'never'`, where a post is served only at `/myblog/blog/post`
 * (no trailing slash): the assets must load there, built and on demand, as
 * Astro's own do (base-absolute links, or `build.assetsPrefix`). Real Astro 7
 * builds (Node 22) against the Piston test server, the built server on 127.0.0.1.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { blogTemplateSite, linkModules, runAstro, startAstroServer } from '../helpers/astro.js'
import { fence, makeProject } from '../helpers/project.js'
import { freePort } from '../deploy/caddy.js'
import { startPistonServer, type PistonServer } from '../piston-server/index.js'

const post = `---\ntitle: Post\ndescription: A post\n---\n\n${fence('python run title="Greet"', 'print("under a base")')}`
const config = "base: '/myblog', trailingSlash: 'never',"
const env = (engine: PistonServer) => ({ PISTON_URL: engine.url, RUNNABLE_LIVE_ENDPOINT: 'https://run.example.com/api/v2' })

/** The page's links to our assets: stylesheet, live runner (named by the endpoint's meta tag), page script. */
const ourLinks = (html: string) => [
  /<link rel="stylesheet" href="([^"]*_runnable\/runnable\.[0-9a-f]{10}\.css)">/.exec(html)?.[1],
  /data-runner="([^"]*_runnable\/runnable-live\.[0-9a-f]{10}\.js)"/.exec(html)?.[1],
  /<script src="([^"]*_runnable\/runnable-copy\.[0-9a-f]{10}\.js)" defer><\/script>/.exec(html)?.[1],
]
/** Astro's own script link (the layout's `<ClientRouter />`). */
const astroLink = (html: string) => /<script type="module" src="([^"]*_astro\/[^"]+\.js)"/.exec(html)?.[1]

let engine: PistonServer
let project: Awaited<ReturnType<typeof makeProject>>

beforeAll(async () => {
  ;[engine, project] = await Promise.all([startPistonServer(), makeProject(blogTemplateSite({ 'post.md': post }, '{}', config))])
  await linkModules(project.dir)
}, 60_000)
afterAll(async () => {
  await Promise.all([engine?.close(), project?.remove()])
})

describe("the Astro integration under `base: '/myblog'` with `trailingSlash: 'never'`", { timeout: 180_000 }, () => {
  it('links the assets from base, as Astro links its own: they resolve from the page URL without a trailing slash', async () => {
    const run = await runAstro(project.dir, ['build'], env(engine))
    expect(run.code, run.stderr).toBe(0)
    const html = await readFile(join(project.dir, 'dist/client/blog/post/index.html'), 'utf8')
    expect(html).toContain('under a base')
    expect(astroLink(html)).toMatch(/^\/myblog\/_astro\//)
    const links = ourLinks(html)
    for (const href of links) {
      expect(href).toMatch(/^\/myblog\/_runnable\//)
      const { pathname } = new URL(href!, 'http://x/myblog/blog/post')
      expect(existsSync(join(project.dir, 'dist/client', pathname.slice('/myblog'.length))), pathname).toBe(true)
    }
  })

  it('links them the same way in an on-demand page, which the built server serves with them', async () => {
    const server = startAstroServer(project.dir, await freePort())
    try {
      let html = ''
      const origin = () => /http:\/\/127\.0\.0\.1:\d+/.exec(server.output())?.[0]
      const page = () => `${origin()}/myblog/live/post`
      await server.until('the on-demand page', async () => {
        html = origin() ? await fetch(page()).then((r) => (r.ok ? r.text() : ''), () => '') : ''
        return html.includes('rb-snippet')
      })
      const links = ourLinks(html)
      expect(links).toEqual(ourLinks(await readFile(join(project.dir, 'dist/client/blog/post/index.html'), 'utf8')))
      for (const href of links) expect((await fetch(new URL(href!, page()))).status, href).toBe(200)
    } finally {
      await server.stop()
    }
  })

  it("takes build.assetsPrefix as Astro's own links do: per file extension, with the fallback, regardless of base", async () => {
    const prefix = "build: { assetsPrefix: { css: 'https://css.cdn.example', fallback: 'https://cdn.example/static' } },"
    await project.write('astro.config.mjs', blogTemplateSite({}, '{}', config + prefix)['astro.config.mjs']!)
    const run = await runAstro(project.dir, ['build'], env(engine))
    expect(run.code, run.stderr).toBe(0)
    const html = await readFile(join(project.dir, 'dist/client/blog/post/index.html'), 'utf8')
    expect(astroLink(html)).toMatch(/^https:\/\/cdn\.example\/static\/_astro\//)
    expect(ourLinks(html)).toEqual([
      expect.stringMatching(/^https:\/\/css\.cdn\.example\/_runnable\/runnable\./),
      expect.stringMatching(/^https:\/\/cdn\.example\/static\/_runnable\/runnable-live\./),
      expect.stringMatching(/^https:\/\/cdn\.example\/static\/_runnable\/runnable-copy\./),
    ])
  })
})
