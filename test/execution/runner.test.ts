/**
 * The build-wide runner's concurrency limit, observed with a recording
 * engine that holds every job until the test lets it finish: the limit is
 * what keeps a 1-vCPU server alive, so the peak must be exactly the limit.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCacheStore } from '../../src/cache/store.js'
import { createRunner } from '../../src/execution/runner.js'
import type { Engine, ExecuteRequest, ExecuteResponse } from '../../src/execution/types.js'

/** An engine whose jobs wait for `releaseAll`; it records how many were in flight at most. */
function recordingEngine() {
  const held: Array<() => void> = []
  let inFlight = 0
  let peak = 0
  const engine: Engine = {
    info: { kind: 'local' },
    runtimes: async () => [{ language: 'bash', version: '5.2.15', aliases: ['sh'] }],
    async execute(request: ExecuteRequest): Promise<ExecuteResponse> {
      peak = Math.max(peak, ++inFlight)
      await new Promise<void>((resolve) => held.push(resolve))
      inFlight--
      const stdout = request.files[0]!.content
      return { language: 'bash', version: '5.2.15', run: { stdout, stderr: '', output: stdout, code: 0, signal: null } }
    },
    close: async () => {},
  }
  return {
    engine,
    inFlight: () => inFlight,
    peak: () => peak,
    releaseAll: () => held.splice(0).forEach((release) => release()),
  }
}

const job = (i: number): ExecuteRequest => ({ language: 'bash', version: '*', files: [{ name: 'main.sh', content: `echo ${i}` }] })

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rb-runner-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('runner concurrency', () => {
  it.each([
    ['the configured limit', 3, 3],
    ['the default of 6', undefined, 6],
  ])('keeps exactly %s of jobs in flight', async (_name, concurrency, expected) => {
    const recorder = recordingEngine()
    const runner = createRunner({ engine: recorder.engine, cache: createCacheStore(dir), concurrency })
    const all = Promise.all(Array.from({ length: 13 }, (_, i) => runner.run(job(i))))
    // Each round: wait until the runner has filled every slot it may, then let those jobs finish.
    for (let left = 13; left > 0; left -= expected) {
      await expect.poll(recorder.inFlight).toBe(Math.min(expected, left))
      recorder.releaseAll()
    }
    const outcomes = await all
    expect(outcomes.every((o) => o.ok && o.source === 'ran')).toBe(true)
    expect(recorder.peak()).toBe(expected)
  })
})

describe('runner results', () => {
  it('keeps a result without its request, written or read back, in memory only or not', async () => {
    const response = (i: number) => ({ language: 'bash', version: '5.2.15', run: { stdout: `echo ${i}`, stderr: '', output: `echo ${i}`, code: 0, signal: null } })
    for (const readOnly of [false, true]) {
      const recorder = recordingEngine()
      const cache = createCacheStore(join(dir, String(readOnly)))
      const fresh = createRunner({ engine: recorder.engine, cache, readOnly }).run(job(1))
      await expect.poll(recorder.inFlight).toBe(1)
      recorder.releaseAll()
      // The request's code is the page's to keep: a build of 5,000 snippets held a second copy of each.
      expect(await fresh).toEqual({ ok: true, key: expect.any(String), source: 'ran', response: response(1), engine: { kind: 'local' } })
      expect(await cache.keys()).toHaveLength(readOnly ? 0 : 1)
    }
    const again = await createRunner({ engine: recordingEngine().engine, cache: createCacheStore(join(dir, 'false')) }).run(job(1))
    expect(again).toEqual({ ok: true, key: expect.any(String), source: 'cache', response: response(1), engine: { kind: 'local' } })
  })
})
