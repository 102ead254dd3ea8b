import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startPistonServer } from '../piston-server/index.js'
import { fence, post, runCli, runMain, useServerAndProjects } from '../helpers/project.js'

const { server: testServer, project } = useServerAndProjects()


const hello = post(
  'Hello',
  `Some prose.\n\n${fence('python run title="Greeting"', 'print("Hello, <World> & co")')}\n${fence('bash run', 'echo "from bash"; echo "to stderr" >&2')}`,
)
const sql = post('Data', fence('sql run', "CREATE TABLE t (x);\nINSERT INTO t VALUES ('a'), ('b');\nSELECT count(*) FROM t;"), '2026-02-01')

describe('runnable-blog update, end to end against a Piston-protocol server', () => {
  it('runs every snippet once, then answers from the cache without one execution', async () => {
    const p = await project({ 'content/hello.md': hello, 'content/data.md': sql })
    const env = { PISTON_URL: testServer().url }
    const before = testServer().executions
    const first = await runCli(['update'], { cwd: p.dir, env })
    expect(first.stderr).toContain('3 snippets: 3 passed, 0 failed, 0 skipped; 3 programs: 0 cached, 3 ran')
    expect(first.code).toBe(0)
    expect(testServer().executions - before).toBe(3)
    expect(await readdir(join(p.dir, 'cache'))).toHaveLength(3)

    const second = await runMain(['update'], { cwd: p.dir, env })
    expect(second.code).toBe(0)
    expect(second.stderr).toContain('3 snippets: 3 passed, 0 failed, 0 skipped; 3 programs: 3 cached, 0 ran')
    expect(testServer().executions - before).toBe(3)
  })

  it('re-runs exactly the one snippet that was edited, and a prose edit re-runs none', async () => {
    const p = await project({ 'content/hello.md': hello, 'content/data.md': sql })
    const env = { PISTON_URL: testServer().url }
    expect((await runMain(['update'], { cwd: p.dir, env })).code).toBe(0)
    const before = testServer().executions
    await p.write('content/hello.md', hello.replace('Some prose.', 'Some better prose.').replace('title="Greeting"', 'title="Hi"'))
    expect((await runMain(['update'], { cwd: p.dir, env })).stderr).toContain('3 programs: 3 cached, 0 ran')
    await p.write('content/hello.md', hello.replace('from bash', 'from Bash'))
    const edited = await runMain(['update'], { cwd: p.dir, env })
    expect(edited.stderr).toContain('3 programs: 2 cached, 1 ran')
    expect(testServer().executions - before).toBe(1)
    expect(edited.stderr).toContain('1 cache entry no snippet uses; remove it with update --prune')
    const pruned = await runMain(['update', '--prune'], { cwd: p.dir, env })
    expect(pruned.stderr).toContain('removed 1 unused cache entry')
    expect(await readdir(join(p.dir, 'cache'))).toHaveLength(3)
  })

  it('prunes nothing where the site generator may run snippets check cannot see, and says where', async () => {
    // A shortcode whose program only the Eleventy build knows: its body holds template syntax.
    const p = await project({ 'content/hello.md': hello, 'content/page.njk': '---\ntitle: Njk\n---\n{% codeRunner "Hi", "bash" %}\necho {{ title }}\n{% endcodeRunner %}\n' })
    const env = { PISTON_URL: testServer().url }
    expect((await runMain(['update'], { cwd: p.dir, env })).code).toBe(0)
    await p.write('cache/0000000000000000000000000000000000000000000000000000000000000000.json', '{}')
    const guarded = await runMain(['update', '--prune'], { cwd: p.dir, env })
    expect(guarded.code).toBe(0)
    expect(guarded.stderr).toContain(
      '1 cache entry no snippet uses (not pruned: your site generator may run snippets check cannot see)\n  content/page.njk:4: a codeRunner call whose arguments or body hold template syntax (its program is known only when the site is built)',
    )
    expect(await readdir(join(p.dir, 'cache'))).toHaveLength(3)
    // Template syntax inside a run fence of an Eleventy site: Liquid changes the program before it runs, so only the build runs it.
    await p.remove()
    const q = await project({ 'eleventy.config.js': 'export default function () {}\n', 'content/hello.md': hello.replace('echo "from bash"', 'echo "{{ from }} bash"') })
    expect((await runMain(['update'], { cwd: q.dir, env })).code).toBe(0)
    expect(await readdir(join(q.dir, 'cache'))).toHaveLength(1)
    await q.write('cache/0000000000000000000000000000000000000000000000000000000000000000.json', '{}')
    const fenced = await runMain(['update', '--prune'], { cwd: q.dir, env })
    expect(fenced.stderr).toMatch(/not pruned: .*\n {2}content\/hello\.md:12: a run fence holding template syntax/)
    expect(await readdir(join(q.dir, 'cache'))).toHaveLength(2)
  })

  it('re-runs a snippet whose cache entry is unreadable, with a warning, and everything with --refresh', async () => {
    const p = await project({ 'content/hello.md': hello })
    const env = { PISTON_URL: testServer().url }
    expect((await runMain(['update'], { cwd: p.dir, env })).code).toBe(0)
    const [broken] = await readdir(join(p.dir, 'cache'))
    await p.write(`cache/${broken}`, '{"format": 1, "key": ')
    const before = testServer().executions
    const repaired = await runMain(['update'], { cwd: p.dir, env })
    expect(repaired.code).toBe(0)
    expect(repaired.stderr).toMatch(new RegExp(`^content/hello\\.md:\\d+:1: warning {2}cache entry ${broken!.replace('.', '\\.')} was unreadable \\(not JSON .*\\); ran again {2}\\[cache-invalid\\]$`, 'm'))
    expect(repaired.stderr).toContain('2 snippets: 2 passed, 0 failed, 0 skipped; 2 programs: 1 cached, 1 ran (1 warning)')
    expect(JSON.parse(await readFile(join(p.dir, 'cache', broken!), 'utf8')).format).toBe(1)
    const refreshed = await runMain(['update', '--refresh'], { cwd: p.dir, env })
    expect(refreshed.stderr).toContain('2 programs: 0 cached, 2 ran')
    expect(testServer().executions - before).toBe(3)
  })

  it.each([
    ['through the Piston client', []],
    ['on the local engine', ['--engine', 'local']],
  ])('--refresh on unchanged snippets leaves every cache entry as it was, %s', async (_, flags) => {
    const p = await project({ 'content/hello.md': hello, 'content/data.md': sql })
    const env = { PISTON_URL: testServer().url }
    const entries = async () => {
      const names = (await readdir(join(p.dir, 'cache'))).sort()
      return Promise.all(names.map(async (name) => [name, await readFile(join(p.dir, 'cache', name), 'utf8')]))
    }
    expect((await runMain(['update', ...flags], { cwd: p.dir, env })).code).toBe(0)
    const first = await entries()
    expect(first).toHaveLength(3)
    for (const [, text] of first) expect(text).not.toMatch(/elapsed_ms|wall_time|cpu_time/)
    const refreshed = await runMain(['update', '--refresh', ...flags], { cwd: p.dir, env })
    expect(refreshed.stderr).toContain('3 programs: 0 cached, 3 ran')
    expect(await entries()).toEqual(first)
  })

  it('runs identical snippets once across posts', async () => {
    const same = fence('python run', 'print(6 * 7)')
    const p = await project({ 'content/a.md': post('A', same), 'content/b.md': post('B', `Intro.\n\n${same}`) })
    const before = testServer().executions
    const run = await runMain(['update'], { cwd: p.dir, env: { PISTON_URL: testServer().url } })
    expect(run.code).toBe(0)
    expect(testServer().executions - before).toBe(1)
    // Two fences, one program: counted apart.
    expect(run.stderr).toContain('2 snippets: 2 passed, 0 failed, 0 skipped; 1 program: 0 cached, 1 ran')
  })

  it('builds offline from a full cache, and names every snippet it could not run when the engine is down', async () => {
    const p = await project({ 'content/hello.md': hello })
    const down = await startPistonServer()
    const env = { PISTON_URL: down.url }
    expect((await runMain(['update'], { cwd: p.dir, env })).code).toBe(0)
    await down.close()

    const offline = await runMain(['update'], { cwd: p.dir, env })
    expect(offline.code).toBe(0)
    expect(offline.stderr).toContain('2 snippets: 2 passed, 0 failed, 0 skipped; 2 programs: 2 cached, 0 ran')

    await p.write('content/hello.md', `${hello}\n${fence('python run', 'print("new")')}\n${fence('bash run', 'echo new')}`)
    const failed = await runMain(['update'], { cwd: p.dir, env })
    expect(failed.code).toBe(1)
    const lines = failed.stderr.split('\n').filter((l) => l.includes('[engine-failed]'))
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/^content\/hello\.md:\d+:1: error {2}python snippet could not run: .*127\.0\.0\.1/)
    expect(lines[1]).toMatch(/^content\/hello\.md:\d+:1: error {2}bash snippet could not run/)
    expect(failed.stderr).toContain('Start Piston (see README), set PISTON_URL, or run snippets on this machine (not a sandbox): "engine": "local" in runnable-blog.config.json, or --engine local for the CLI.')
    expect(failed.stderr).toContain('4 snippets: 2 passed, 2 failed, 0 skipped; 2 programs: 2 cached, 0 ran')
  })

  it('reports every failing snippet with file:line:col, and exits 1', async () => {
    const p = await project({
      'content/a.md': post('A', `Text.\n\n${fence('python run title="Divide"', 'x = 1\ny = 0\nprint(x / y)')}`),
      'content/b.md': post('B', `${fence('bash run', 'echo ok\nexit 3')}\n${fence('python run', 'print("fine")')}`),
    })
    const run = await runCli(['update'], { cwd: p.dir, env: { PISTON_URL: testServer().url } })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('content/a.md:11:7: error  python snippet "Divide" exited with code 1 (expected exit code 0)  [snippet-failed]')
    expect(run.stderr).toContain('    ZeroDivisionError: division by zero')
    expect(run.stderr).toContain('content/b.md:6:1: error  bash snippet exited with code 3 (expected exit code 0)  [snippet-failed]')
    expect(run.stderr).toContain('3 snippets: 1 passed, 2 failed, 0 skipped; 3 programs: 0 cached, 3 ran (2 errors)')
  })

  it('reports option errors at their column, and bad usage with exit code 2', async () => {
    const p = await project({ 'content/a.md': post('A', fence('python run timeout=soon', 'print(1)')) })
    const run = await runMain(['update'], { cwd: p.dir, env: { PISTON_URL: testServer().url } })
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^content\/a\.md:6:15: error {2}timeout must be a positive whole number/m)
    const usage = await runCli(['update', '--no-such-flag'], { cwd: p.dir })
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain("Unknown option '--no-such-flag'")
  })
})
