/**
 * A prefetched request (the pre-scan's) runs early but belongs to the build
 * only once a page asks for it: counted, referenced and cached then, and run
 * once however it is asked for. Executions are counted by the test Piston
 * server (real HTTP, real interpreters).
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCacheStore } from '../../src/cache/store.js'
import { checkContent } from '../../src/cli/check-content.js'
import { createLocalEngine } from '../../src/execution/local-engine.js'
import { createPistonEngine } from '../../src/execution/piston-client.js'
import { createRunner } from '../../src/execution/runner.js'
import type { Engine, ExecuteRequest } from '../../src/execution/types.js'
import { fence } from '../helpers/project.js'
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

/** A Piston that writes a character to $ARRIVALS for each job as it arrives, answers at once, and prints its URL. */
const STAND_IN = `
const { appendFileSync } = require('node:fs')
const answer = (res, body) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(body)) }
require('node:http').createServer((req, res) => {
  req.resume().on('end', () => {
    if (req.url.endsWith('/runtimes')) return answer(res, [{ language: 'bash', version: '5.2.0', aliases: [] }])
    appendFileSync(process.env.ARRIVALS, 'j')
    answer(res, { language: 'bash', version: '5.2.0', run: { stdout: '', stderr: '', code: 0, signal: null, output: '' } })
  })
}).listen(0, '127.0.0.1', function () { console.log('http://127.0.0.1:' + this.address().port + '/api/v2') })
`

const job = (text: string): ExecuteRequest => ({ language: 'bash', version: '*', files: [{ name: 'main.sh', content: `echo ${text}` }] })

async function setup(cacheDir: string, frozen = false, concurrency?: number) {
  const engine = createPistonEngine({ url: server.url })
  const runner = createRunner({ engine, cache: createCacheStore(join(dir, cacheDir)), frozen, concurrency })
  return { engine, runner, entries: () => readdir(join(dir, cacheDir)).catch(() => [] as string[]) }
}

/** The engine, logging each job it is handed as `execute`. */
function logged(engine: Engine, log: string[]): Engine {
  return Object.assign(Object.create(engine) as Engine, {
    execute: (...args: Parameters<Engine['execute']>) => {
      log.push('execute')
      return engine.execute(...args)
    },
  })
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
    expect(outcome.ok && outcome.response.run.stdout).toBe('early\n')
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

describe('the first parse waits for the pre-scanned jobs to reach the engine', () => {
  it('runner.underway settles once the jobs the cache lacks hold every slot, not before', async () => {
    const { engine, runner } = await setup('underway', false, 2)
    await runner.run(job('cached'))
    const log: string[] = []
    let settled = false
    // The second job's runtime check ends a turn after the first's, so its send comes a turn later too.
    let checks = 0
    const staggered = Object.assign(Object.create(engine) as Engine, {
      runtimes: () => (checks++ ? new Promise((resolve) => setImmediate(resolve)).then(() => engine.runtimes()) : engine.runtimes()),
      execute: (...args: Parameters<Engine['execute']>) => (log.push(settled ? 'execute after underway' : 'execute'), engine.execute(...args)),
    })
    const counted = createRunner({ engine: staggered, cache: createCacheStore(join(dir, 'underway')), concurrency: 2 })
    for (const text of ['cached', 'one', 'two', 'three']) counted.prefetch!(job(text))
    await counted.underway!().then(() => (settled = true))
    // Two slots: the third job waits for one, and the cached one never reaches the engine.
    expect(log).toEqual(['execute', 'execute'])
    await engine.close()
  })

  it('runner.underway settles once the jobs are written to the connection: a thread held right after does not hold them back', async () => {
    // A Piston in another process, which notes each job as it arrives: this process holds its thread below, as a host's page render does.
    const arrivals = join(dir, 'arrivals')
    const stand = spawn(process.execPath, ['-e', STAND_IN], { env: { ...process.env, ARRIVALS: arrivals }, stdio: ['ignore', 'pipe', 'inherit'] })
    const [url] = (await once(stand.stdout, 'data')) as [Buffer]
    const engine = createPistonEngine({ url: url.toString().trim() })
    const runner = createRunner({ engine, cache: createCacheStore(join(dir, 'held')), concurrency: 2 })
    for (const text of ['h1', 'h2', 'h3']) runner.prefetch!(job(text))
    await runner.underway!()
    // Held: nothing of this process runs (no connection opens, no socket is written) until the Piston has both jobs, or 10 s passed.
    const seen = () => readFileSync(arrivals, { encoding: 'utf8', flag: 'a+' }).length
    const until = Date.now() + 10_000
    while (seen() < 2 && Date.now() < until);
    // Two slots: the third job waits for an answer, which this process has not read.
    expect(seen()).toBe(2)
    await Promise.all(['h1', 'h2', 'h3'].map((text) => runner.run(job(text))))
    await engine.close()
    stand.kill()
  })

  it('a local job counts as sent once its program runs', async () => {
    const engine = createLocalEngine()
    const order: string[] = []
    const answer = engine.execute(job('local'), { sent: () => order.push('sent') }).then(() => order.push('answered'))
    await answer
    expect(order).toEqual(['sent', 'answered'])
    await engine.close()
  })

  it('looks up only a window of prefetched jobs at once (twice the slots); the rest start as slots free up', async () => {
    const store = createCacheStore(join(dir, 'window'))
    let reads = 0
    const cache = Object.assign(Object.create(store) as typeof store, { read: (key: string) => (reads++, store.read(key)) })
    const engine = createPistonEngine({ url: server.url })
    const runner = createRunner({ engine, cache, concurrency: 1 })
    const before = server.executions
    const texts = ['w1', 'w2', 'w3', 'w4', 'w5']
    for (const text of texts) runner.prefetch!(job(text))
    await runner.underway!()
    expect(reads).toBe(2)
    const outcomes = await Promise.all(texts.map((text) => runner.run(job(text))))
    expect(outcomes.map((o) => o.ok && o.response.run.stdout)).toEqual(texts.map((t) => `${t}\n`))
    expect(server.executions - before).toBe(5)
    expect(reads).toBe(5)
    await engine.close()
  })

  it('runner.underway settles at once when the cache has every prefetched job', async () => {
    const { engine, runner } = await setup('underway-warm')
    await runner.run(job('warm'))
    const log: string[] = []
    const counted = createRunner({ engine: logged(engine, log), cache: createCacheStore(join(dir, 'underway-warm')) })
    counted.prefetch!(job('warm'))
    await counted.underway!()
    expect(log).toEqual([])
    await engine.close()
  })

  it('check hands the jobs to the engine before it parses the first post', async () => {
    const root = join(dir, 'site')
    await mkdir(join(root, 'content'), { recursive: true })
    await writeFile(join(root, 'content', 'post.md'), `# Post\n\n${fence('bash run', 'echo first')}\n`)
    // undici loaded, as in a build that already ran something: the wait is for the answers, not the import.
    await import('undici')
    const engine = createPistonEngine({ url: server.url })
    const log: string[] = []
    // A page counts its snippet once it is parsed.
    const onProgress = ({ total }: { total: number }) => void (total && !log.includes('parsed') && log.push('parsed'))
    const result = await checkContent({ root, engine: logged(engine, log), onProgress })
    expect(result.failed).toBe(false)
    expect(log).toEqual(['execute', 'parsed'])
    await engine.close()
  })
})
