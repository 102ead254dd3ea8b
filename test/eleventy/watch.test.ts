/**
 * The Eleventy plugin under a real `eleventy --watch`, as a blogger writes:
 * with the engine down the page says so and the watcher stays up; the next
 * save tries the engine again; an edited snippet runs alone; a prose edit
 * runs nothing. The engine is the counting Piston test server.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { LongRunningChild } from '../helpers/long-running.js'
import { eleventyConfig, startEleventyWatch } from '../helpers/eleventy.js'
import { fence, makeProject, post } from '../helpers/project.js'
import { freePort } from '../deploy/caddy.js'
import { startPistonServer, type PistonServer } from '../piston-server/index.js'

const page = (prose: string, greeting: string) =>
  post('Watch', `${prose}\n\n${fence('python run title="Greet"', `print("${greeting}")`)}\n${fence('bash run title="Count"', 'echo $((6 * 7))')}`)

let engine: PistonServer | undefined
let project: Awaited<ReturnType<typeof makeProject>> | undefined
let watcher: LongRunningChild | undefined
afterAll(async () => {
  await watcher?.stop()
  await Promise.all([engine?.close(), project?.remove()])
})

describe('the Eleventy plugin under `eleventy --watch`', { timeout: 300_000 }, () => {
  it('stays up with the engine down, tries again on the next save, then runs only what an edit changed', async () => {
    const port = await freePort() // nothing listens there yet: the engine is down
    // The cache inside the input folder, as with Eleventy's default input (the project).
    project = await makeProject({ ...eleventyConfig('{ cacheDir: "content/results" }'), 'content/watch.md': page('First prose.', 'first greeting'), 'content/probe.md': post('Probe', 'probe 0') })
    const built = (path: string) => readFile(join(project!.dir, 'dist', path, 'index.html'), 'utf8').catch(() => '')
    watcher = startEleventyWatch(project.dir, { PISTON_URL: `http://127.0.0.1:${port}/api/v2` })

    await watcher.until('the page with the engine down', async () => (await built('watch')).includes('data-rb-status="not-run"'))
    await watcher.until('the report of the unreachable engine', () => watcher!.output().includes('[engine-failed]'))
    expect(await built('watch')).not.toContain('first greeting\n</')

    engine = await startPistonServer({ port })
    // Eleventy says "Watching…" before its file watcher is ready, and a save
    // made before then goes unseen. So a probe page is saved until Eleventy
    // reports it changed; from then on every save is seen. That save rebuilds
    // the site, which tries the engine again.
    const probeSeen = () => watcher!.output().includes('File changed: ./content/probe.md')
    for (let probe = 1; !probeSeen(); probe++) {
      if (probe > 30) throw new Error(`eleventy saw none of 30 saves; it printed:\n${watcher.output()}`)
      await project.write('content/probe.md', post('Probe', `probe ${probe}`))
      await watcher.until('a probe save to be seen', probeSeen, 2_000).catch((error: Error) => {
        if (!watcher!.running()) throw error
      })
    }
    await watcher.until('the output the engine gave once it was up', async () => (await built('watch')).includes('>first greeting\n'))
    expect(await built('watch')).toContain('>42\n')
    expect(engine.executions).toBe(2)

    await project.write('content/watch.md', page('First prose.', 'second greeting'))
    await watcher.until('the edited snippet\'s output', async () => (await built('watch')).includes('>second greeting\n'))
    expect(await built('watch')).toContain('>42\n')
    expect(engine.executions).toBe(3)

    await project.write('content/watch.md', page('Edited prose.', 'second greeting'))
    await watcher.until('the edited prose', async () => (await built('watch')).includes('Edited prose.'))
    expect(await built('watch')).toContain('>second greeting\n')
    expect(engine.executions).toBe(3)
    // Results written to the cache set off no rebuild of their own.
    expect(watcher.output()).not.toMatch(/File (added|changed): \.\/content\/results\//)
  })
})
