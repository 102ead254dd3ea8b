/**
 * An engine outage is not remembered past the jobs that met it: a host that
 * lives for a whole dev session (`astro dev`, `eleventy --serve`: one host,
 * no new build per page) shows the outage on the page rendered during it,
 * and the result once the engine is back, with no restart.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRunnableHost, type RunnableHost } from '../../src/adapters/host.js'
import { fence } from '../helpers/project.js'
import { type PistonServer, startPistonServer } from '../piston-server/index.js'

let server: PistonServer | undefined
let host: RunnableHost
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rb-outage-'))
})
afterAll(async () => {
  await host?.close()
  await server?.close()
  await rm(dir, { recursive: true, force: true })
})

const page = (code: string) => `# Post\n\n${fence('bash run', code)}`
const render = (code: string) => host.render(page(code), { path: 'content/post.md' })
/** The text of a block's output area. */
const output = (html: string) => /<div class="rb-output"[^>]*>([^]*)<\/div><\/figure>/.exec(html)?.[1]

describe('a long-lived host through an engine outage', () => {
  it('shows the outage while the engine is down, and new results once it is back', { timeout: 120_000 }, async () => {
    server = await startPistonServer()
    const { port } = server
    host = createRunnableHost({ engine: 'piston', pistonUrl: server.url, cacheDir: join(dir, 'cache'), configFile: false }, { cwd: dir })
    expect(output(await render('echo before'))).toContain('before')

    await server.close()
    server = undefined
    const down = await render('echo during')
    expect(down).toContain(`cannot reach Piston at http://127.0.0.1:${port}/api/v2`)
    expect(down).toContain('data-rb-status="not-run"')

    server = await startPistonServer({ port })
    // The same page rendered again (an edit elsewhere, a reload): the program that met the outage runs.
    const again = await render('echo during')
    expect(again).not.toContain('cannot reach Piston')
    expect(output(again)).toContain('during')
    // A brand-new program too.
    const fresh = await render('echo after')
    expect(fresh).not.toContain('cannot reach Piston')
    expect(output(fresh)).toContain('after')
    expect(server.executions).toBe(2)
  })
})
