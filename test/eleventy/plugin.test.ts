/**
 * The Eleventy plugin in real Eleventy builds of fixture sites, against the
 * Piston-protocol test server.
 */
import { access, readdir, readFile } from 'node:fs/promises'
import { type AddressInfo } from 'node:net'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createLocalEngine } from '../../src/execution/local-engine.js'
import type { Engine } from '../../src/execution/types.js'
import { eleventyConfig, runEleventy } from '../helpers/eleventy.js'
import { startPistonServer } from '../piston-server/index.js'
import { fence, post, runMain, useServerAndProjects } from '../helpers/project.js'

const { server: testServer, project } = useServerAndProjects()
const exists = (path: string) => access(path).then(() => true, () => false)

// Each test runs whole Eleventy builds (a second or two each on an idle machine).
describe('the Eleventy plugin', { timeout: 60_000 }, () => {
  it('bakes real output into the pages, links the stylesheet relative to each page, and rebuilds from the cache', async () => {
    const p = await project({
      ...eleventyConfig(),
      'content/posts/hello.md': post('Hello', `Some {{ "prose" | upcase }}.\n\n${fence('python run title="Greeting"', 'print("Hello, <World> & co")')}\n${fence('js', 'plain()')}`),
      'content/about.md': post('About', 'No code here.'),
    })
    const env = { PISTON_URL: testServer().url }
    const before = testServer().executions
    const first = await runEleventy(p.dir, [], env)
    expect(first.code, first.stderr).toBe(0)
    expect(first.stderr).toContain('[runnable-blog] 1 snippet: 1 passed, 0 failed, 0 skipped; 1 program: 0 cached, 1 ran')
    expect(testServer().executions - before).toBe(1)

    const html = await readFile(join(p.dir, 'dist/posts/hello/index.html'), 'utf8')
    expect(html).toContain('Some PROSE.') // Nunjucks still runs before Markdown
    expect(html).toContain('Hello, &#x3C;World> &#x26; co')
    expect(html).toContain('<pre><code class="language-js">plain()\n</code></pre>') // ordinary fences as before
    // The stylesheet, and without a live endpoint the copy button's script.
    const [, css] = /<link rel="stylesheet" href="\.\.\/\.\.\/(assets\/runnable\.[0-9a-f]{10}\.css)"><script src="\.\.\/\.\.\/assets\/runnable-copy\.[0-9a-f]{10}\.js" defer><\/script><\/head>/.exec(html) ?? []
    expect(css).toBeDefined()
    expect(await readFile(join(p.dir, 'dist', css!), 'utf8')).toContain('.rb-snippet')
    // A page without blocks gets nothing.
    expect(await readFile(join(p.dir, 'dist/about/index.html'), 'utf8')).not.toContain('runnable')

    const second = await runEleventy(p.dir, [], env)
    expect(second.stderr).toContain('1 program: 1 cached, 0 ran')
    expect(testServer().executions - before).toBe(1)
    expect(await readFile(join(p.dir, 'dist/posts/hello/index.html'), 'utf8')).toBe(html)
  })

  it('finishes every page, lists every failure at its real line (front matter counted), then fails the build', async () => {
    const p = await project({
      ...eleventyConfig(),
      'content/a.md': `---\ntitle: A\ntags: [x, y]\ndescription: long\n---\n\nText.\n\n${fence('python run title="Divide"', 'x = 1\ny = 0\nprint(x / y)')}`,
      'content/b.md': post('B', `${fence('bash run', 'echo ok\nexit 3')}\n${fence('python run timeout=soon', 'print(1)')}`),
      'content/c.md': post('C', fence('python run', 'print("fine")')),
      // A repeated id names the first one's line in the file, front matter counted, on a page Liquid ran over too.
      'content/d.md': post('D', `{{ "Intro." }}\n\n${fence('python id=dup hidden', 'x = 1')}\n${fence('python id=dup hidden', 'x = 2')}`),
      'content/e.md': post('E', `${fence('python file=a.py', 'x = 1')}\n${fence('python file=a.py', 'x = 2')}`),
    })
    await p.write('summary.md', '')
    const github = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: join(p.dir, 'summary.md') }
    const run = await runEleventy(p.dir, [], { PISTON_URL: testServer().url, ...github })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('content/a.md:12:7: error  python snippet "Divide" exited with code 1 (expected exit code 0)  [snippet-failed]')
    // Under GitHub Actions, as the CLI does: annotations on stdout, and the job summary.
    expect(run.stdout).toContain('::error file=content/a.md,line=12,col=7,title=snippet-failed::python snippet "Divide" exited with code 1')
    expect(await readFile(join(p.dir, 'summary.md'), 'utf8')).toContain('`content/b.md:11:15` timeout must be a positive whole number')
    expect(run.stderr).toContain('    ZeroDivisionError: division by zero')
    expect(run.stderr).toContain('content/b.md:6:1: error  bash snippet exited with code 3 (expected exit code 0)  [snippet-failed]')
    expect(run.stderr).toMatch(/^content\/b\.md:11:15: error {2}timeout must be a positive whole number/m)
    expect(run.stderr).toMatch(/^content\/d\.md:12:\d+: error {2}id "dup" is already declared at line 8 /m)
    expect(run.stderr).toMatch(/^content\/e\.md:10:\d+: error {2}file "a\.py" is already declared at line 6 /m)
    expect(run.stderr).toMatch(/^\[runnable-blog\] 4 snippets: 1 passed, 3 failed, 0 skipped; 3 programs: 0 cached, 3 ran \(5 errors\)$/m)
    expect(run.stderr).not.toContain('stack trace')
    // Every page was still written, showing what went wrong.
    expect(await readFile(join(p.dir, 'dist/a/index.html'), 'utf8')).toContain('data-rb-status="failed"')
    expect(await exists(join(p.dir, 'dist/c/index.html'))).toBe(true)
    // The second a.py is no plain fence: its block says what the terminal says, where a dev server's reader looks.
    const e = await readFile(join(p.dir, 'dist/e/index.html'), 'utf8')
    expect(e).toContain('<p class="rb-notice rb-notice--invalid" data-pagefind-ignore="">✗ file "a.py" is already declared at line 6</p>')
    expect(e.match(/<figure class="rb-snippet/g)).toHaveLength(2)
  })

  it('runs a paired shortcode like the equivalent fence: same cache entry, same block, its own line', async () => {
    const code = 'print("from a shortcode")'
    const p = await project({
      ...eleventyConfig(),
      'content/fence.md': post('Fence', fence('python run title="Python example"', code)),
      // Nunjucks, as the blog that asked for the shortcode writes its posts.
      'content/shortcode.md': `---\ntitle: Shortcode\ntemplateEngineOverride: njk,md\n---\n\n{% set intro = "Intro." %}{{ intro }}\n\n{% codeRunner "Python example", "python", true %}\n${code}\n{% endcodeRunner %}\n\n{% codeRunner "Broken", "python" %}\nprint(1)\nraise SystemExit(4)\n{% endcodeRunner %}\n`,
      // Several in one page: each one counts, not only the last.
      'content/page.njk': `---\ntitle: Njk\n---\n{% codeRunner "Fails first", "bash" %}\necho no\nexit 3\n{% endcodeRunner %}\n{% codeRunner "Not run", "bash", false %}\necho never\n{% endcodeRunner %}\n`,
    })
    const before = testServer().executions
    const run = await runEleventy(p.dir, [], { PISTON_URL: testServer().url })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('content/shortcode.md:12:1: error  python snippet "Broken" exited with code 4 (expected exit code 0)  [snippet-failed]')
    expect(run.stderr).toContain('content/page.njk:4:1: error  bash snippet "Fails first" exited with code 3 (expected exit code 0)  [snippet-failed]')
    expect(run.stderr).toContain('[runnable-blog] 5 snippets: 2 passed, 2 failed, 1 skipped')
    expect(testServer().executions - before).toBe(3) // the fence and its shortcode twin ran once
    expect(await readdir(join(p.dir, 'cache'))).toHaveLength(3)
    const block = (html: string) => html.slice(html.indexOf('<figure'), html.indexOf('</figure>'))
    const fromFence = block(await readFile(join(p.dir, 'dist/fence/index.html'), 'utf8'))
    expect(fromFence).toContain('from a shortcode')
    expect(block(await readFile(join(p.dir, 'dist/shortcode/index.html'), 'utf8'))).toBe(fromFence)
    const njk = await readFile(join(p.dir, 'dist/page/index.html'), 'utf8')
    expect(njk).toContain('data-rb-status="skipped"')
    expect(njk).toContain('rb-snippet')
  })

  it('shares the cache with the CLI, and frozen (RUNNABLE_FROZEN=1) never contacts an engine', async () => {
    const p = await project({ ...eleventyConfig(), 'content/a.md': post('A', fence('bash run', 'echo shared')) })
    const env = { PISTON_URL: testServer().url }
    expect((await runMain(['update'], { cwd: p.dir, env })).code).toBe(0)
    const requests = testServer().requests.length
    const frozen = await runEleventy(p.dir, [], { ...env, RUNNABLE_FROZEN: '1' })
    expect(frozen.code, frozen.stderr).toBe(0)
    expect(frozen.stderr).toContain('1 program: 1 cached, 0 ran')
    await p.write('content/a.md', post('A', fence('bash run', 'echo edited')))
    const missing = await runEleventy(p.dir, [], { ...env, RUNNABLE_FROZEN: '1' })
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/^content\/a\.md:6:1: error {2}bash snippet could not run: no result in the committed cache/m)
    expect(testServer().requests.length).toBe(requests)
  })

  it('puts the live runner only on pages with a block readers may re-run (the copy button alone elsewhere), under any path prefix, its endpoint without a trailing slash', async () => {
    const p = await project({
      ...eleventyConfig("{ live: 'https://run.example.com/api/v2/' }"),
      'content/live.md': post('Live', fence('bash run', 'echo live')),
      'content/deep/static.md': post('Static', fence('bash run live=false', 'echo static')),
    })
    const run = await runEleventy(p.dir, ['--pathprefix=/blog/'], { PISTON_URL: testServer().url })
    expect(run.code, run.stderr).toBe(0)
    const live = await readFile(join(p.dir, 'dist/live/index.html'), 'utf8')
    // The page script loads at once; the live runner, named by the endpoint's meta tag, on first use.
    const [, runner, pageScript] =
      /<meta name="runnable-endpoint" content="https:\/\/run\.example\.com\/api\/v2" data-runner="\.\.\/(assets\/runnable-live\.[0-9a-f]{10}\.js)"><script src="\.\.\/(assets\/runnable-copy\.[0-9a-f]{10}\.js)" defer><\/script>/.exec(live) ?? []
    expect(await readFile(join(p.dir, 'dist', runner!), 'utf8')).toContain('rb-')
    expect(await readFile(join(p.dir, 'dist', pageScript!), 'utf8')).toContain('runnable-endpoint')
    expect(live).not.toContain(new URL(testServer().url).host)
    const deep = await readFile(join(p.dir, 'dist/deep/static/index.html'), 'utf8')
    expect(deep).toMatch(/href="\.\.\/\.\.\/assets\/runnable\.[0-9a-f]{10}\.css"/)
    expect(deep).not.toContain('runnable-live')
    const [, copy] = /<script src="\.\.\/\.\.\/(assets\/runnable-copy\.[0-9a-f]{10}\.js)" defer><\/script>/.exec(deep) ?? []
    expect(await readFile(join(p.dir, 'dist', copy!), 'utf8')).toContain('rb-copy')
  })

  it("has the queued jobs done in Eleventy's render order (by collection), not in file order", async () => {
    // The engine starts nothing until Eleventy has told the fixture's own hook its order; the plugin's hook hears it
    // in the same synchronous emit (Eleventy calls an event's listeners together), before any job can finish.
    let order: string[] = []
    let open!: () => void
    const opened = new Promise<void>((resolve) => (open = resolve))
    const gate = createServer((request, response) => {
      let body = ''
      request.on('data', (chunk: Buffer) => (body += chunk))
      request.on('end', () => {
        order = JSON.parse(body) as string[]
        response.end()
        open()
      })
    })
    await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve))
    const local = createLocalEngine()
    const sent: string[] = []
    const gated = Object.assign(Object.create(local) as Engine, {
      execute: async (...[request, options]: Parameters<Engine['execute']>) => {
        await opened
        sent.push(request.files[0]!.content)
        return local.execute(request, options)
      },
    })
    const server = await startPistonServer({ engine: gated })
    try {
      const tagged = (name: string) => `---\ntitle: ${name}\ntags: post\n---\n\n${fence('python run', `print("${name}")`)}\n`
      const hook = `eleventyConfig.on('eleventy.contentMap', ({ inputPathToUrl }) => fetch(process.env.GATE_URL, { method: 'POST', body: JSON.stringify(Object.keys(inputPathToUrl)) }))`
      const p = await project({
        ...eleventyConfig('{ concurrency: 1 }', hook),
        'content/a.md': tagged('a'),
        'content/b.md': tagged('b'),
        // Declares that it uses the collection, so Eleventy renders it after every post. (No template tags: the
        // pre-scan skips a file that has them, and this one's job must be queued with the others.)
        'content/c-list.md': `---\ntitle: List\neleventyImport:\n  collections: [post]\n---\n\n${fence('python run', 'print("c")')}\n`,
        'content/d.md': tagged('d'),
        'content/e.md': tagged('e'),
      })
      const run = await runEleventy(p.dir, [], { PISTON_URL: server.url, GATE_URL: `http://127.0.0.1:${(gate.address() as AddressInfo).port}/` })
      expect(run.code, run.stderr).toBe(0)
      const pages = order.map((path) => /([a-e])[^/]*\.md$/.exec(path)![1]!)
      expect(pages.indexOf('c')).toBe(4)
      // One slot: the first two are looked up in the cache at once (a window of twice the slots), so either may reach
      // the engine first; the rest follow Eleventy, not the file order (a, b, c, d, e).
      const first = pages.slice(0, 2)
      expect(sent.slice(0, 2).sort()).toEqual(first.map((page) => `print("${page}")`).sort())
      expect(sent.slice(2)).toEqual(pages.slice(2).map((page) => `print("${page}")`))
    } finally {
      await server.close()
      await local.close()
      await new Promise((resolve) => gate.close(resolve))
    }
  })

  it("queues every page's jobs before Eleventy renders the first page (found as Eleventy reads the pages, a draft's left out)", async () => {
    // The engine answers no job until three have reached it. Eleventy renders one page at a time, and a page waits
    // for its own job: only jobs queued before the first render can all arrive. (A build that never gets there fails
    // when the barrier gives up.)
    const local = createLocalEngine()
    let arrive!: () => void
    const all = new Promise<void>((resolve) => (arrive = resolve))
    const sent: string[] = []
    const barrier = Object.assign(Object.create(local) as Engine, {
      execute: async (...[request, options]: Parameters<Engine['execute']>) => {
        sent.push(request.files[0]!.content)
        if (sent.length === 3) arrive()
        const met = await Promise.race([all.then(() => true), new Promise<boolean>((resolve) => setTimeout(resolve, 20_000, false).unref())])
        if (!met) throw new Error(`only ${sent.length} of 3 jobs arrived before a page needed its result`)
        return local.execute(request, options)
      },
    })
    const server = await startPistonServer({ engine: barrier })
    try {
      const drafts = `eleventyConfig.addPreprocessor('drafts', 'md', (data) => (data.draft ? false : undefined))`
      const p = await project({
        ...eleventyConfig('{ concurrency: 4 }', drafts),
        ...Object.fromEntries(['a', 'b', 'c'].map((name) => [`content/${name}.md`, post(name, fence('python run', `print("${name}")`))])),
        'content/draft.md': `---\ntitle: Draft\ndraft: true\n---\n\n${fence('python run', 'print("draft")')}\n`,
      })
      const run = await runEleventy(p.dir, [], { PISTON_URL: server.url })
      expect(run.code, run.stderr).toBe(0)
      expect(sent.sort()).toEqual(['print("a")', 'print("b")', 'print("c")'])
    } finally {
      await server.close()
      await local.close()
    }
  })

  it('rejects bad options with a message naming the option', async () => {
    const p = await project({ ...eleventyConfig('{ concurency: 3 }'), 'content/a.md': post('A', 'x') })
    const run = await runEleventy(p.dir)
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('runnable-blog: unknown option "concurency"')
    await p.write('eleventy.config.js', eleventyConfig("{ engine: 'docker' }")['eleventy.config.js']!)
    expect((await runEleventy(p.dir)).stderr).toContain('runnable-blog: engine must be "piston", "local" or an Engine object, got "docker"')
  })
})
