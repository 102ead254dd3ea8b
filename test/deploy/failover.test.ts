/**
 * Failover through the real Caddy and deploy/Caddyfile: two test Piston
 * servers as separate processes, many distinct jobs at once through the
 * project's own Piston client, one replica SIGKILLed mid-run. Every answer
 * must be its own request's: a proxy that retried a POST with another
 * request's body (Caddy 2.6 with buffer_requests did) publishes wrong output.
 */
import pLimit from 'p-limit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPistonEngine } from '../../src/execution/piston-client.js'
import type { Engine } from '../../src/execution/types.js'
import { caddyVersion, startCaddy } from './caddy.js'
import type { CaddyInstance } from './caddy.js'
import { startPistonProcess } from './piston-process.js'
import type { PistonProcess } from './piston-process.js'

const JOBS = 80
const AT_ONCE = 16
/** Answers received before one replica is killed. */
const KILL_AFTER = 16

describe('Caddy in front of two Piston replicas, one killed mid-run', () => {
  let live: PistonProcess
  let doomed: PistonProcess
  let caddy: CaddyInstance
  let engine: Engine

  beforeAll(async () => {
    caddyVersion()
    // Jobs take a while inside the replica, so that some are in flight on it when it dies.
    ;[live, doomed] = await Promise.all([startPistonProcess(['--latency', '100']), startPistonProcess(['--latency', '100'])])
    // The first /runtimes probes local interpreters; do it before Caddy's health checks.
    await Promise.all([live, doomed].map(async (p) => expect((await fetch(`${p.url}/runtimes`)).status).toBe(200)))
    caddy = await startCaddy({
      env: {
        PISTON_UPSTREAMS: `127.0.0.1:${doomed.port} 127.0.0.1:${live.port}`,
        // Slower probes than the Caddyfile's (1 s), as an operator may set:
        // for a few seconds after the kill, least_conn dials the dead replica
        // first for almost every job. That window is where a retried POST
        // could carry another job's body.
        PISTON_HEALTH_INTERVAL: '5s',
      },
    })
    // Enough client retries to outlast that window (each refused dial is a 502).
    engine = createPistonEngine({ url: `${caddy.api}/api/v2`, retries: 40, retryBaseMs: 20, retryMaxMs: 250 })
  })

  afterAll(async () => {
    await engine?.close()
    await caddy?.stop()
    await live?.kill()
    await doomed?.kill()
  })

  it('answers every request with its own output', async () => {
    const limit = pLimit(AT_ONCE)
    let answered = 0
    let killed: Promise<void> | undefined
    const outcomes = await Promise.all(
      Array.from({ length: JOBS }, (_, i) =>
        limit(async () => {
          try {
            const result = await engine.execute({
              language: 'python',
              version: '*',
              files: [{ name: 'main.py', content: `print("job-${i}")` }],
            })
            return result.run.stdout
          } catch (error) {
            return `failed: ${(error as Error).message}`
          } finally {
            if (++answered === KILL_AFTER) killed = doomed.kill()
          }
        }),
      ),
    )
    await killed
    expect(killed).toBeDefined()
    const wrong = outcomes.map((stdout, i) => ({ i, stdout })).filter(({ i, stdout }) => stdout !== `job-${i}\n`)
    expect(wrong).toEqual([])
  }, 60_000)
})
