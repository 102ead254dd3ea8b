/**
 * A prefetched request (the pre-scan's) runs early but belongs to the build
 * only once a page asks for it: counted, referenced and cached then, and run
 * once however it is asked for. Executions are counted by the test Piston
 * server (real HTTP, real interpreters).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCacheStore } from '../../src/cache/store.js'
import { createPistonEngine } from '../../src/execution/piston-client.js'
import { createRunner } from '../../src/execution/runner.js'
import type { ExecuteRequest } from '../../src/execution/types.js'
import { startPistonServer, type PistonServer } from '../piston-server/index.js'

let server: PistonServer
let dir: string
beforeAll(async () => {
  server = await startPistonServer()
  dir = await mkdtemp(join(tmpdir(), 'rb-prefetch-'))
})
afterAll(async () => {
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

const job = (text: string): ExecuteRequest => ({ language: 'bash', version: '*', files: [{ name: 'main.sh', content: `echo ${text}` }] })

async function setup(cacheDir: string, frozen = false) {
  const engine = createPistonEngine({ url: server.url })
  const runner = createRunner({ engine, cache: createCacheStore(join(dir, cacheDir)), frozen })
  return { engine, runner, entries: () => readdir(join(dir, cacheDir)).catch(() => [] as string[]) }
}

describe('runner.prefetch', () => {
  it('runs a request once when a page then asks for it, and counts and caches it then', async () => {
    const { engine, runner, entries } = await setup('asked')
    const before = server.executions
    runner.prefetch!(job('early'))
    runner.prefetch!(job('early'))
    expect(runner.stats.total).toBe(0)
    const outcome = await runner.run(job('early'))
    expect(outcome.ok && outcome.source).toBe('ran')
    expect(outcome.ok && outcome.entry.response.run.stdout).toBe('early\n')
    expect(await runner.run(job('early'))).toBe(outcome)
    expect(server.executions - before).toBe(1)
    expect(runner.stats).toEqual({ total: 1, cached: 0, ran: 1, failed: 0 })
    expect([...runner.referencedKeys()]).toEqual([outcome.key])
    expect(await entries()).toEqual([`${outcome.key}.json`])
    await engine.close()
  })

  it('leaves no trace but the job for a request no page asks for: not counted, referenced or cached', async () => {
    const { engine, runner, entries } = await setup('unasked')
    const before = server.executions
    runner.prefetch!(job('never asked'))
    await expect.poll(() => server.executions - before).toBe(1)
    const other = await runner.run(job('asked'))
    expect(runner.stats).toEqual({ total: 1, cached: 0, ran: 1, failed: 0 })
    expect([...runner.referencedKeys()]).toEqual([other.key])
    expect(await entries()).toEqual([`${other.key}.json`])
    await engine.close()
  })

  it('does nothing when frozen: the cache is read when a page asks', async () => {
    const { engine, runner } = await setup('frozen', true)
    const before = server.requests.length
    runner.prefetch!(job('frozen'))
    const outcome = await runner.run(job('frozen'))
    expect(outcome.ok).toBe(false)
    expect(server.requests.length - before).toBe(0)
    await engine.close()
  })
})
