import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { eleventyConfig, runEleventy } from '../helpers/eleventy.js'
import { fence, post, runMain, useServerAndProjects } from '../helpers/project.js'

const { server: testServer, project } = useServerAndProjects()

describe('the CLI and the site around the snippets', { timeout: 60_000 }, () => {
  it('checks real-world Markdown: no front matter, no title, other fields, dot-folders left alone', async () => {
    const p = await project({
      'content/a.md': '---\nname: Not a title\nauthors:\n  - a\n---\n\n' + fence('bash run', 'exit 2'),
      'content/b.md': fence('bash run', 'exit 3'),
      'content/.git/x.md': fence('bash run', 'exit 4'),
    })
    const run = await runMain(['check'], { cwd: p.dir, env: { PISTON_URL: testServer().url } })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('content/a.md:7:1: error  bash snippet exited with code 2')
    expect(run.stderr).toContain('content/b.md:1:1: error  bash snippet exited with code 3')
    expect(run.stderr).toContain('2 snippets: 0 passed, 2 failed, 0 skipped; 2 programs: 0 cached, 2 ran')
  })

  it('takes absolute folders for --content and --cache, and an absolute --config as given', async () => {
    const source = await project({ 'posts/a.md': post('A', fence('bash run', 'echo absolute')), 'cfg.json': '{"concurrency": 2}' })
    const elsewhere = await project({})
    const args = ['update', '--content', join(source.dir, 'posts'), '--cache', join(elsewhere.dir, 'results'), '--config', join(source.dir, 'cfg.json')]
    const run = await runMain(args, { cwd: elsewhere.dir, env: { PISTON_URL: testServer().url } })
    expect(run.code, run.stderr).toBe(0)
    expect(await readdir(join(elsewhere.dir, 'results'))).toHaveLength(1)
  })

  it('sends PISTON_TOKEN as Authorization and never writes it anywhere', async () => {
    const token = 'Bearer s3cr3t-token-value'
    const p = await project({ ...eleventyConfig(), 'content/a.md': post('A', fence('python run', 'print("token test")')) })
    const seen = testServer().requests.length
    // With live runs on, so the page carries programs and the script.
    const env = { PISTON_URL: testServer().url, PISTON_TOKEN: token, RUNNABLE_LIVE_ENDPOINT: 'https://run.example.com/api/v2' }
    const run = await runEleventy(p.dir, [], env)
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
    const update = () => runMain(['update'], { cwd: p.dir, env })
    const [one, two] = await Promise.all([update(), update()])
    expect([one.code, two.code]).toEqual([0, 0])
    const entries = await readdir(join(p.dir, 'cache'))
    expect(entries).toHaveLength(6)
    for (const name of entries) expect(JSON.parse(await readFile(join(p.dir, 'cache', name), 'utf8')).format).toBe(1)
    expect((await runMain(['check', '--frozen'], { cwd: p.dir, env })).stderr).toContain('6 programs: 6 cached, 0 ran')
  })

  it('names the engine on the page when it was not Piston', async () => {
    const p = await project({ ...eleventyConfig(), 'content/a.md': post('A', fence('python run', 'print(1)')), 'runnable-blog.config.json': '{"engine": "local"}' })
    const page = () => readFile(join(p.dir, 'dist/a/index.html'), 'utf8')
    expect((await runEleventy(p.dir)).code).toBe(0)
    expect(await page()).toMatch(/<p class="rb-runtime">ran at build time with python [\d.]+ on the build machine<\/p>/)
    await p.write('runnable-blog.config.json', '{}')
    expect((await runMain(['update', '--refresh'], { cwd: p.dir, env: { PISTON_URL: testServer().url } })).code).toBe(0)
    expect((await runEleventy(p.dir, [], { RUNNABLE_FROZEN: '1' })).code).toBe(0)
    expect(await page()).toMatch(/<p class="rb-runtime">ran at build time with python [\d.]+<\/p>/)
  })

  it('rejects bad configuration with exit code 2', async () => {
    const p = await project({ 'content/a.md': post('A', 'x'), 'runnable-blog.config.json': '{"concurency": 3}' })
    const run = await runMain(['check'], { cwd: p.dir })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('unknown key "concurency"')
    await p.write('runnable-blog.config.json', '{"pistonUrl": "ftp://x"}')
    expect((await runMain(['check'], { cwd: p.dir })).stderr).toContain('the Piston URL must be http(s), got "ftp://x"')
    await p.write('runnable-blog.config.json', '{"limits": {"runTimeout": 2.5}}')
    expect((await runMain(['check'], { cwd: p.dir })).stderr).toContain('"limits.runTimeout" must be a positive whole number (milliseconds), got 2.5')
    await p.write('runnable-blog.config.json', '{"limits": {"timeout": 5000}}')
    expect((await runMain(['check'], { cwd: p.dir })).stderr).toContain('unknown key "limits.timeout" (known: runTimeout, compileTimeout, outputMaxSize)')
    expect((await runMain(['check', '--concurrency', '0'], { cwd: p.dir })).code).toBe(2)
    expect((await runMain(['frobnicate'], { cwd: p.dir })).stderr).toContain('unknown command "frobnicate"')
    // The site is the generator's job now; the old command says where it went.
    expect((await runMain(['build'], { cwd: p.dir })).stderr).toContain('the site is built by your site generator now')
  })
})
