/**
 * How long a job may take, as the build's Piston client, Caddy and Piston
 * each see it (deploy/ defaults). The client must wait longer than Caddy
 * waits for Piston: otherwise it gives up on a job that is only queued and
 * sends it again, and the snippet runs twice while the first copy still
 * holds a job slot.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse } from 'yaml'
import { beforeAll, describe, expect, it } from 'vitest'
import { executeAttemptMs } from '../../src/execution/piston-client.js'
import { DEFAULT_CONCURRENCY } from '../../src/execution/scheduler.js'
import { REPO_ROOT } from './caddy.js'

/** Caddy's duration syntax, as used in the Caddyfile: 45s, 2m, 250ms. */
function ms(duration: string): number {
  const m = /^(\d+)(ms|s|m)$/.exec(duration)
  if (!m) throw new Error(`not a duration: ${duration}`)
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2] as 'ms' | 's' | 'm']
}

describe('job deadlines across the client, Caddy and Piston', () => {
  let caddyfile: string
  let piston: Record<string, string>
  let caddy: Record<string, string>

  /** The default of `{$NAME:default}` in the Caddyfile. */
  const caddyDefault = (name: string): string => {
    const m = new RegExp(`\\{\\$${name}:([^}]+)\\}`).exec(caddyfile)
    if (!m) throw new Error(`${name} has no default in the Caddyfile`)
    return m[1]!
  }
  /** The default of `${NAME:-default}` in docker-compose.yml. */
  const composeDefault = (vars: Record<string, string>, name: string): string => {
    const m = /^\$\{[A-Z0-9_]+:-(.*)\}$/.exec(String(vars[name]))
    if (!m) throw new Error(`${name} has no default in docker-compose.yml`)
    return m[1]!
  }

  beforeAll(async () => {
    caddyfile = await readFile(join(REPO_ROOT, 'deploy', 'Caddyfile'), 'utf8')
    const compose = parse(await readFile(join(REPO_ROOT, 'deploy', 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { environment: Record<string, string> }>
    }
    piston = compose.services.piston!.environment
    caddy = compose.services.caddy!.environment
  })

  it('uses the same proxy timeouts in the Caddyfile and the compose file', () => {
    for (const name of ['PISTON_RESPONSE_TIMEOUT', 'CADDY_WRITE_TIMEOUT']) {
      expect(composeDefault(caddy, name), name).toBe(caddyDefault(name))
    }
  })

  it("lets Piston compile and run a build's last queued job before Caddy stops waiting, and Caddy answer before its write limit", () => {
    const wait = ms(caddyDefault('PISTON_RESPONSE_TIMEOUT'))
    const job = Number(composeDefault(piston, 'PISTON_RUN_TIMEOUT')) + Number(composeDefault(piston, 'PISTON_COMPILE_TIMEOUT'))
    // A build has DEFAULT_CONCURRENCY jobs in flight; past the slots they queue, so the last runs in the last round,
    // with room to spare for Piston's own overhead and a reader's run queued among them.
    const slots = Number(composeDefault(piston, 'PISTON_MAX_CONCURRENT_JOBS'))
    expect(Math.ceil(DEFAULT_CONCURRENCY / slots) * job + 10_000).toBeLessThanOrEqual(wait)
    expect(ms(caddyDefault('CADDY_WRITE_TIMEOUT'))).toBeGreaterThan(wait)
  })

  it('makes the client wait longer than Caddy, for any job within the server limits', () => {
    const wait = ms(caddyDefault('PISTON_RESPONSE_TIMEOUT'))
    const run = Number(composeDefault(piston, 'PISTON_RUN_TIMEOUT'))
    const compile = Number(composeDefault(piston, 'PISTON_COMPILE_TIMEOUT'))
    for (const job of [{}, { run_timeout: run }, { run_timeout: run, compile_timeout: compile }, { run_timeout: 100, compile_timeout: 100 }]) {
      // A margin for Caddy's 504 to arrive.
      expect(executeAttemptMs(job) - wait, JSON.stringify(job)).toBeGreaterThanOrEqual(2000)
    }
  })
})
