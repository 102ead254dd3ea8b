/**
 * `runnable-blog/astro` in real Astro 7 builds of a fixture site, with Astro's
 * default Markdown processor (Sätteri) and its default Shiki highlighting on,
 * against the Piston test server; the built page's live runner in Chromium.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { astroSite, linkModules, runAstro } from '../helpers/astro.js'
import type { ChildOutput } from '../helpers/child.js'
import { fence, makeProject, runMain } from '../helpers/project.js'
import { type ApiProxy, launchChromium, serveDirectory, type StaticServer, startApiProxy } from '../browser/helpers.js'
import { startPistonServer, type PistonServer } from '../piston-server/index.js'

const frontMatter = (title: string) => `---\ntitle: ${title}\nlayout: ../../layouts/Base.astro\ndescription: four lines of front matter\n---\n\n`
const hello =
  frontMatter('Hello') +
  ['Some prose.\n', fence('python run title="Greet"', 'print("Hello, <World> & co")'), fence('text output', 'Hello, <World> & co'), fence('js', 'const ordinary = 1')].join('\n')
const broken =
  frontMatter('Broken') +
  ['Text.\n', fence('python run title="Divide"', 'x = 1\nprint(x / 0)'), fence('bash run timeout=soon', 'echo 1')].join('\n')

let buildServer: PistonServer
let liveServer: PistonServer
let proxy: ApiProxy
let project: Awaited<ReturnType<typeof makeProject>>
let first: ChildOutput
let html: string

beforeAll(async () => {
  ;[buildServer, liveServer, project] = await Promise.all([startPistonServer(), startPistonServer({ cors: true }), makeProject({ ...astroSite(), 'src/pages/posts/hello.md': hello })])
  await linkModules(project.dir)
  proxy = await startApiProxy(liveServer.origin)
  first = await runAstro(project.dir, ['build'], { PISTON_URL: buildServer.url, RUNNABLE_LIVE_ENDPOINT: proxy.url })
  html = await readFile(join(project.dir, 'dist/posts/hello/index.html'), 'utf8')
}, 120_000)
afterAll(async () => {
  await Promise.all([buildServer?.close(), liveServer?.close(), proxy?.close(), project?.remove()])
})

const blocks = (page: string) => [...page.matchAll(/<figure class="rb-snippet"[\s\S]*?<\/figure>/g)].map((m) => m[0])

describe('the Astro integration', { timeout: 120_000 }, () => {
  it('bakes real output into the page, next to code Astro highlighted, and links the stylesheet and live runner from the site base, as Astro links its own', async () => {
    expect(first.code, first.stderr).toBe(0)
    expect(first.stderr).toContain('[runnable-blog] 1 snippet: 1 passed, 0 failed, 0 skipped; 1 program: 0 cached, 1 ran')
    expect(buildServer.executions).toBe(1)
    const [block] = blocks(html)
    expect(blocks(html)).toHaveLength(1)
    // The block is whole: its structure, classes and data attributes, its code not re-highlighted by Astro's Shiki.
    // Highlighted once, by this package; Astro's Shiki left it alone.
    expect(block).toContain('<figcaption class="rb-title">Greet</figcaption><div class="rb-codebox"><pre class="rb-code rb-hl" data-rb-highlighted=""><!--runnable-blog--><code class="language-python no-highlight"><span class="rb-line">')
    expect(block).not.toContain('shiki')
    expect(block).toMatch(/<pre class="rb-stream rb-stdout"><span class="rb-label" data-pagefind-ignore="">stdout<\/span>Hello, &#x3C;World> &#x26; co\n<\/pre>/)
    expect(block).toContain('data-rb-program=')
    expect(block).not.toContain('astro-code')
    expect(html).not.toContain('language-text') // the output fence was checked and folded in
    // The ordinary fence is Astro's: highlighted by its default Shiki.
    expect(html).toMatch(/<pre class="astro-code[^"]*"[^>]*data-language="js"><code><span class="line"><span style="color:#[0-9A-F]{6}">const/)
    const [, css] = /<link rel="stylesheet" href="\/(_runnable\/runnable\.[0-9a-f]{10}\.css)">/.exec(html) ?? []
    expect(await readFile(join(project.dir, 'dist', css!), 'utf8')).toContain('.rb-snippet')
    // The page script alone; the live runner is named for it to load on first use.
    expect(html).toContain(`<meta name="runnable-endpoint" content="${proxy.url}" data-runner="/_runnable/runnable-live.`)
    expect(html).toMatch(/<script src="\/_runnable\/runnable-copy\.[0-9a-f]{10}\.js" defer><\/script>/)
    expect(await readdir(join(project.dir, 'dist/_runnable'))).toHaveLength(3)
    expect(await readdir(join(project.dir, 'cache'))).toHaveLength(1)
  })

  describe('in Chromium, from the built page', () => {
    let browser: Browser
    let site: StaticServer
    beforeAll(async () => {
      ;[browser, site] = await Promise.all([launchChromium(), serveDirectory(join(project.dir, 'dist'), proxy.origin)])
    })
    afterAll(async () => {
      await Promise.all([browser?.close(), site?.close()])
    })

    it('Run re-runs the snippet against the live endpoint, Edit then Run runs the edited code, Reset restores the baked block', async () => {
      const page = await browser.newPage()
      // Script errors only: the production CSP also refuses the inline styles of Astro's own Shiki output.
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      await page.goto(`${site.origin}/posts/hello/`)
      const output = page.locator('figure.rb-snippet .rb-output')
      const baked = await output.innerHTML()
      const before = liveServer.executions
      await page.getByRole('button', { name: 'Run Greet', exact: true }).click()
      await expect.poll(() => liveServer.executions, { timeout: 10_000, interval: 20 }).toBe(before + 1)
      await expect.poll(() => output.textContent(), { timeout: 10_000, interval: 20 }).toContain('Hello, <World> & co')
      await page.getByRole('button', { name: 'Edit Greet', exact: true }).click()
      await page.locator('figure.rb-snippet textarea').fill('print("edited in Astro")')
      await page.getByRole('button', { name: 'Run Greet', exact: true }).click()
      await expect.poll(() => output.textContent(), { timeout: 10_000, interval: 20 }).toContain('edited in Astro')
      await page.getByRole('button', { name: 'Reset Greet', exact: true }).click()
      await expect.poll(() => output.innerHTML(), { timeout: 10_000, interval: 20 }).toBe(baked)
      expect(await page.locator('figure.rb-snippet .rb-code code').textContent()).toBe('print("Hello, <World> & co")')
      expect(errors).toEqual([])
    })
  })

  it('fails `astro build` after every page, with every problem at its file:line:column (front matter counted), and reuses the cache', async () => {
    await project.write('src/pages/posts/broken.md', broken)
    const run = await runAstro(project.dir, ['build'], { PISTON_URL: buildServer.url })
    expect(run.code).not.toBe(0)
    expect(run.stderr).toContain('src/pages/posts/broken.md:11:7: error  python snippet "Divide" exited with code 1 (expected exit code 0)  [snippet-failed]')
    expect(run.stderr).toContain('    ZeroDivisionError: division by zero')
    expect(run.stderr).toMatch(/^src\/pages\/posts\/broken\.md:14:13: error {2}timeout must be a positive whole number/m)
    expect(run.stderr).toMatch(/^\[runnable-blog\] 3 snippets: 1 passed, 2 failed, 0 skipped; 2 programs: 1 cached, 1 ran \(2 errors\)$/m)
    // The page that failed was still written, showing what went wrong.
    expect(await readFile(join(project.dir, 'dist/posts/broken/index.html'), 'utf8')).toContain('data-rb-status="failed"')
  })

  it('shares runnable-blog.config.json with the CLI: a local engine and a cache folder set there hold for both', async () => {
    const p = await makeProject({ ...astroSite(), 'src/pages/posts/hello.md': hello, 'runnable-blog.config.json': '{ "engine": "local", "cache": "snippets" }\n' })
    try {
      await linkModules(p.dir)
      // No Piston anywhere: the local engine runs it.
      const run = await runAstro(p.dir, ['build'], { PISTON_URL: 'http://127.0.0.1:9/api/v2' })
      expect(run.code, run.stderr).toBe(0)
      expect(await readFile(join(p.dir, 'dist/posts/hello/index.html'), 'utf8')).toMatch(/ran at build time with python [\d.]+ on the build machine/)
      expect(await readdir(join(p.dir, 'snippets'))).toHaveLength(1)
      const check = await runMain(['check', '--frozen'], { cwd: p.dir })
      expect(check.code, check.stderr).toBe(0)
      expect(check.stderr).toContain('1 snippet: 1 passed, 0 failed, 0 skipped; 1 program: 1 cached, 0 ran')
    } finally {
      await p.remove()
    }
  })

  it("runs the fences a site's own plugin writes before it, on Sätteri and on unified, though the page's Markdown has none", async () => {
    const made = `${frontMatter('Made')}Prose.\n\nMAKE-A-FENCE\n`
    const isMarker = "(node) => node.type === 'paragraph' && node.children[0]?.value === 'MAKE-A-FENCE'"
    const fenceNode = "{ type: 'code', lang: 'python', meta: 'run', value: 'print(6 * 7)' }"
    const plugins = {
      // Sätteri's declarative node carries no position; the remark plugin's neither.
      satteri: `import { satteri } from '@astrojs/markdown-satteri'\nconst isMarker = ${isMarker}\nconst make = { name: 'make', paragraph: (node) => (isMarker(node) ? ${fenceNode} : undefined) }\n`,
      unified: `import { unified } from '@astrojs/markdown-remark'\nconst isMarker = ${isMarker}\nconst make = () => (tree) => { tree.children = tree.children.map((node) => (isMarker(node) ? ${fenceNode} : node)) }\n`,
    }
    for (const [processor, head] of Object.entries(plugins)) {
      const site = astroSite('{}', `markdown: { processor: ${processor}({ ${processor === 'satteri' ? 'mdastPlugins' : 'remarkPlugins'}: [make] }) },`)
      site['astro.config.mjs'] = head + site['astro.config.mjs']
      const p = await makeProject({ ...site, 'src/pages/posts/made.md': made })
      try {
        await linkModules(p.dir)
        const run = await runAstro(p.dir, ['build'], { PISTON_URL: buildServer.url })
        expect(run.code, run.stderr).toBe(0)
        expect(run.stderr, processor).toContain('[runnable-blog] 1 snippet: 1 passed')
        expect(blocks(await readFile(join(p.dir, 'dist/posts/made/index.html'), 'utf8'))[0]).toMatch(/rb-stdout">.*42\n<\/pre>/s)
      } finally {
        await p.remove()
      }
    }
  })

  it('works the same with the unified processor and in MDX pages (Sätteri\'s and unified\'s), beside Astro\'s Shiki', async () => {
    const mdx = `${frontMatter('Mdx')}export const answer = 42\n\nMDX says {answer}.\n\n${fence('python run title="In MDX"', 'print("mdx", 6 * 7)')}\n${fence('bash run', 'echo bad; exit 4')}\n${fence('js', 'const ordinary = 1')}`
    const site = (processor: string) =>
      makeProject({
        ...astroSite('{}', `markdown: { ${processor} },`),
        'astro.config.mjs': astroSite('{}', `markdown: { ${processor} },`)['astro.config.mjs']!.replace('integrations: [', 'integrations: [mdx(), ').replace(/^/, "import mdx from '@astrojs/mdx'\nimport { unified } from '@astrojs/markdown-remark'\n"),
        'src/pages/posts/hello.md': hello,
        'src/pages/posts/mdx.mdx': mdx,
      })
    for (const processor of ['processor: unified()', '']) {
      const p = await site(processor)
      try {
        await linkModules(p.dir)
        const run = await runAstro(p.dir, ['build'], { PISTON_URL: buildServer.url })
        expect(run.code, processor).not.toBe(0)
        expect(run.stderr).toContain('src/pages/posts/mdx.mdx:15:1: error  bash snippet exited with code 4 (expected exit code 0)  [snippet-failed]')
        expect(run.stderr).toMatch(/^\[runnable-blog\] 3 snippets: 2 passed, 1 failed, 0 skipped/m)
        for (const page of ['hello', 'mdx']) {
          const built = await readFile(join(p.dir, `dist/posts/${page}/index.html`), 'utf8')
          expect(built).toMatch(/<pre class="astro-code[^"]*"[^>]*data-language="js">/)
          for (const block of blocks(built)) expect(block).toMatch(/<pre class="rb-code rb-hl" data-rb-highlighted(="")?>(<!--runnable-blog-->)?<code class="language-(python|bash) no-highlight"[^>]*><span class="rb-line">/)
        }
        const mdxPage = await readFile(join(p.dir, 'dist/posts/mdx/index.html'), 'utf8')
        expect(mdxPage).toMatch(/MDX says 42\.[\s\S]*mdx 42/)
        // The code exactly as written: no typographic quotes from MDX's Markdown reading of it.
        const code = /<code class="language-python no-highlight"[^>]*>([\s\S]*?)<\/code>/.exec(mdxPage)![1]!.replace(/<[^>]+>/g, '')
        expect(code).toMatch(/^print\((?:"|&quot;|&#x22;)mdx(?:"|&quot;|&#x22;), 6 \* 7\)$/)
      } finally {
        await p.remove()
      }
    }
  })
})
