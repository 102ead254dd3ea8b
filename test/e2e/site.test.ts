import { access, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fence, post, runMain, useServerAndProjects } from '../helpers/project.js'

const { server: testServer, project } = useServerAndProjects()

const exists = (path: string) => access(path).then(() => true, () => false)

describe('the site', () => {
  it('publishes posts by slug, leaves drafts out (but checks them), copies assets', async () => {
    const p = await project({
      'content/posts/Hello World.md': post('Hello <World>', 'Hi & welcome.'),
      'content/custom.md': '---\ntitle: Custom\nslug: elsewhere\ntags: [a, b]\n---\nBody\n',
      'content/draft.md': '---\ntitle: Draft\ndraft: true\n---\n' + fence('python run', 'print("draft ran")'),
      'content/images/logo.svg': '<svg/>',
    })
    const run = await runMain(['build'], { cwd: p.dir, env: { PISTON_URL: testServer().url } })
    expect(run.code).toBe(0)
    expect(run.stderr).toContain('1 snippet: 1 passed, 0 failed, 0 skipped; 1 program: 0 cached, 1 ran')
    const html = await readFile(join(p.dir, 'dist/posts/hello-world/index.html'), 'utf8')
    expect(html).toContain('<title>Hello &lt;World&gt; · Runnable blog</title>')
    expect(html).toMatch(/<link rel="stylesheet" href="\/assets\/style\.[0-9a-f]{10}\.css">/)
    expect(await exists(join(p.dir, 'dist/elsewhere/index.html'))).toBe(true)
    expect(await exists(join(p.dir, 'dist/draft/index.html'))).toBe(false)
    expect(await readFile(join(p.dir, 'dist/images/logo.svg'), 'utf8')).toBe('<svg/>')
    const index = await readFile(join(p.dir, 'dist/index.html'), 'utf8')
    expect(index).not.toContain('Draft')
    expect((await runMain(['build', '--drafts'], { cwd: p.dir, env: { PISTON_URL: testServer().url } })).code).toBe(0)
    expect(await exists(join(p.dir, 'dist/draft/index.html'))).toBe(true)
  })

  it('takes absolute folders for --content, --out and --cache', async () => {
    const source = await project({ 'posts/a.md': post('A', fence('bash run', 'echo absolute')) })
    const elsewhere = await project({})
    const args = ['build', '--content', join(source.dir, 'posts'), '--out', join(elsewhere.dir, 'site'), '--cache', join(elsewhere.dir, 'results')]
    const run = await runMain(args, { cwd: elsewhere.dir, env: { PISTON_URL: testServer().url } })
    expect(run.code).toBe(0)
    expect(await readFile(join(elsewhere.dir, 'site/a/index.html'), 'utf8')).toContain('absolute')
    expect(await readdir(join(elsewhere.dir, 'results'))).toHaveLength(1)
  })

  it('loads the live runner only on pages with a snippet readers may re-run', async () => {
    const p = await project({
      'content/live.md': post('Live', fence('bash run', 'echo live')),
      'content/static.md': post('Static', fence('bash run live=false', 'echo static')),
      'content/prose.md': post('Prose', 'No code.'),
    })
    const env = { PISTON_URL: testServer().url, RUNNABLE_LIVE_ENDPOINT: 'https://run.example.com/api/v2' }
    expect((await runMain(['build'], { cwd: p.dir, env })).code).toBe(0)
    const page = (slug: string) => readFile(join(p.dir, `dist/${slug}/index.html`), 'utf8')
    expect(await page('live')).toMatch(/<meta name="runnable-endpoint" content="https:\/\/run\.example\.com\/api\/v2">\n<script src="\/assets\/live\.[0-9a-f]{10}\.js" defer><\/script>/)
    expect(await page('live')).toContain('data-rb-program=')
    // The browser gets the public endpoint only, never the build's Piston.
    expect(await page('live')).not.toContain(new URL(testServer().url).host)
    for (const slug of ['static', 'prose']) {
      expect(await page(slug)).not.toContain('<script')
      expect(await page(slug)).not.toContain('data-rb-program')
    }
  })

  it('reports front matter problems at their line', async () => {
    const p = await project({
      'content/a.md': '---\ntitle: A\ndate: yesterday\n---\n',
      'content/b.md': '---\ntitle: [unclosed\n---\n',
      'content/c.md': 'No front matter at all.\n',
    })
    const run = await runMain(['check'], { cwd: p.dir, env: { PISTON_URL: testServer().url } })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('content/a.md:3:1: error  date must be YYYY-MM-DD, got "yesterday"  [front-matter]')
    expect(run.stderr).toMatch(/^content\/b\.md:\d+:1: error {2}front matter is not valid YAML/m)
    expect(run.stderr).not.toContain('content/c.md')
  })

  it('sends PISTON_TOKEN as Authorization and never writes it anywhere', async () => {
    const token = 'Bearer s3cr3t-token-value'
    const p = await project({ 'content/a.md': post('A', fence('python run', 'print("token test")')) })
    const seen = testServer().requests.length
    // With live runs on, so the page carries programs and the script.
    const env = { PISTON_URL: testServer().url, PISTON_TOKEN: token, RUNNABLE_LIVE_ENDPOINT: 'https://run.example.com/api/v2' }
    const run = await runMain(['build'], { cwd: p.dir, env })
    expect(run.code).toBe(0)
    const requests = testServer().requests.slice(seen)
    expect(requests.length).toBeGreaterThan(0)
    for (const r of requests) expect(r.headers.authorization).toBe(token)
    expect(await readFile(join(p.dir, 'dist/a/index.html'), 'utf8')).toContain('data-rb-program=')
    for (const dir of ['cache', 'dist', 'dist/a', 'dist/assets']) {
      for (const name of await readdir(join(p.dir, dir), { withFileTypes: true })) {
        if (name.isFile()) expect(await readFile(join(p.dir, dir, name.name), 'utf8')).not.toContain('s3cr3t')
      }
    }
    expect(run.stderr + run.stdout).not.toContain('s3cr3t')
  })

  it('stays correct when two builds share one cache at the same time', async () => {
    const snippets = Array.from({ length: 6 }, (_, i) => fence('python run', `print(${i} * ${i})`)).join('\n')
    const p = await project({ 'content/a.md': post('A', snippets) })
    const env = { PISTON_URL: testServer().url }
    const build = (out: string) => runMain(['build', '--out', out], { cwd: p.dir, env })
    const [one, two] = await Promise.all([build('dist-one'), build('dist-two')])
    expect([one.code, two.code]).toEqual([0, 0])
    const entries = await readdir(join(p.dir, 'cache'))
    expect(entries).toHaveLength(6)
    for (const name of entries) expect(JSON.parse(await readFile(join(p.dir, 'cache', name), 'utf8')).format).toBe(1)
    expect((await runMain(['check', '--frozen'], { cwd: p.dir, env })).stderr).toContain('6 programs: 6 cached, 0 ran')
  })

  it('names the engine on the page when it was not Piston', async () => {
    const p = await project({ 'content/a.md': post('A', fence('python run', 'print(1)')) })
    const page = () => readFile(join(p.dir, 'dist/a/index.html'), 'utf8')
    expect((await runMain(['build', '--engine', 'local'], { cwd: p.dir })).code).toBe(0)
    expect(await page()).toMatch(/<p class="rb-runtime">python [\d.]+ · run on the build machine \(--engine local\), not on Piston<\/p>/)
    expect((await runMain(['build', '--refresh'], { cwd: p.dir, env: { PISTON_URL: testServer().url } })).code).toBe(0)
    expect(await page()).toMatch(/<p class="rb-runtime">python [\d.]+<\/p>/)
  })

  it('takes an absolute --config as it is, not under the current folder', async () => {
    const p = await project({ 'content/a.md': post('A', 'x'), 'elsewhere/blog.json': '{"title": "From afar"}' })
    const run = await runMain(['build', '--config', join(p.dir, 'elsewhere/blog.json')], { cwd: p.dir })
    expect(run.code, run.stderr).toBe(0)
    expect(await readFile(join(p.dir, 'dist/index.html'), 'utf8')).toContain('<title>From afar</title>')
  })

  it('rejects bad configuration with exit code 2', async () => {
    const p = await project({ 'content/a.md': post('A', 'x'), 'runnable-blog.config.json': '{"concurency": 3}' })
    const run = await runMain(['build'], { cwd: p.dir })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('unknown key "concurency"')
    await p.write('runnable-blog.config.json', '{"title": "T", "live": {"endpoint": "ftp://x"}}')
    expect((await runMain(['build'], { cwd: p.dir })).stderr).toContain('the live endpoint must be http(s), got "ftp://x"')
    await p.write('runnable-blog.config.json', '{"limits": {"runTimeout": 2.5}}')
    expect((await runMain(['build'], { cwd: p.dir })).stderr).toContain('"limits.runTimeout" must be a positive whole number (milliseconds), got 2.5')
    await p.write('runnable-blog.config.json', '{"limits": {"timeout": 5000}}')
    expect((await runMain(['build'], { cwd: p.dir })).stderr).toContain('unknown key "limits.timeout" (known: runTimeout, compileTimeout, outputMaxSize)')
    expect((await runMain(['build', '--concurrency', '0'], { cwd: p.dir })).code).toBe(2)
    expect((await runMain(['frobnicate'], { cwd: p.dir })).stderr).toContain('unknown command "frobnicate"')
  })
})
