/**
 * The server's limits (`limits` in the config file): a server that kills at
 * 2 s and keeps 4096 characters, answering in Piston 3.1.1's shapes (no
 * `status`), so how a run ended is inferred from the limits the build knows.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { eleventyConfig, runEleventy } from '../helpers/eleventy.js'
import { fence, makeProject, post, runMain } from '../helpers/project.js'
import { type PistonServer, startPistonServer } from '../piston-server/index.js'

// 2 s leaves the quick kill of an output-cap program far below the 1.8 s a timeout is recognised by.
const LIMITS = { runTimeout: 2000, outputMaxSize: 4096 }
const content = post(
  'Limits',
  [
    fence('python run title="Sleeps" expect=timeout', 'import time\ntime.sleep(5)'),
    fence('python run title="Loud" expect=output-limit', 'print("x" * 5000)'),
    fence('python run title="Chatty"', 'print("y" * 2000)'),
  ].join('\n'),
)

let server: PistonServer
let project: Awaited<ReturnType<typeof makeProject>> | undefined
beforeAll(async () => {
  server = await startPistonServer(LIMITS)
})
afterAll(() => server?.close())
afterEach(async () => {
  await project?.remove()
  project = undefined
})

const html = () => readFile(join(project!.dir, 'dist/limits/index.html'), 'utf8')

describe("the server's limits", { timeout: 60_000 }, () => {
  it('judge and word each ending, for the build and for the live runner', async () => {
    project = await makeProject({ ...eleventyConfig(), 'content/limits.md': content, 'runnable-blog.config.json': JSON.stringify({ limits: LIMITS }) })
    const env = { PISTON_URL: server.url, RUNNABLE_LIVE_ENDPOINT: 'https://run.example.com/api/v2' }
    const run = await runEleventy(project.dir, [], env)
    expect(run.code, run.stderr).toBe(0)
    const page = await html()
    expect(page).toContain('stopped after 2 s: the time limit')
    // One write over the cap: Piston drops it whole, so the cap is inferred from the timing.
    expect(page).toContain("killed: the output most likely exceeded the server's limit of 4096 characters (the server does not say why)")
    expect(page).toContain('y'.repeat(2000))
    // The browser words a live run by the same limits.
    expect(page).toContain('data-rb-limits="{&#x22;timeoutMs&#x22;:2000,&#x22;compileTimeoutMs&#x22;:10000,&#x22;outputMaxSize&#x22;:4096}"')

    // Without them the same cached results read as Piston's defaults: the 2 s kill looks like the output cap.
    await project.write('runnable-blog.config.json', '{}')
    const misjudged = await runMain(['check', '--frozen'], { cwd: project.dir, env })
    expect(misjudged.code).toBe(1)
    expect(misjudged.stderr).toMatch(/limits\.md:\d+:\d+: error +python snippet "Sleeps" was killed: the output most likely exceeded.*\(expected a timeout\)/)
  })

  it('bound a fence’s timeout=, at its column, before anything runs', async () => {
    const fenceLine = '```python run title="Patient" timeout=5000'
    project = await makeProject({
      'content/limits.md': post('Limits', `Text.\n\n${fenceLine}\nprint("never sent")\n\`\`\`\n`),
      'runnable-blog.config.json': JSON.stringify({ limits: LIMITS }),
    })
    const seen = server.requests.length
    const run = await runMain(['check'], { cwd: project.dir, env: { PISTON_URL: server.url } })
    expect(run.code).toBe(1)
    const line = (await readFile(join(project.dir, 'content/limits.md'), 'utf8')).split('\n').indexOf(fenceLine) + 1
    const column = fenceLine.indexOf('timeout=') + 1
    expect(run.stderr).toContain(
      `content/limits.md:${line}:${column}: error  timeout=5000 is above the server's run time limit of 2000 ms (limits.runTimeout); it may only lower it  [invalid-option]`,
    )
    expect(server.requests.slice(seen).filter((r) => r.path.endsWith('/execute'))).toEqual([])
  })

  it('are the local engine’s too', async () => {
    project = await makeProject({ ...eleventyConfig(), 'content/limits.md': content, 'runnable-blog.config.json': JSON.stringify({ limits: LIMITS, engine: 'local' }) })
    const run = await runEleventy(project.dir)
    expect(run.code, run.stderr).toBe(0)
    expect(await html()).toContain('stopped after 2 s: the time limit')
    expect(await html()).toContain("killed: stdout exceeded the server's limit of 4096 characters")
  })
})
