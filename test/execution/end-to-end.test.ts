/**
 * Plumbing each caught only incidentally before (issue 26): `--concurrency`
 * from the command line to the number of jobs in flight at the server, and
 * `exit=any` from a fence to the verdict, through the real CLI, the Piston
 * client and the test server.
 */
import { describe, expect, it } from 'vitest'
import { fence, post, runMain, useServerAndProjects } from '../helpers/project.js'

const { server, project } = useServerAndProjects()

/** The most execute requests the server was answering at once since request `from`. */
const mostInFlight = (from: number) => Math.max(...server().requests.slice(from).filter((r) => r.path === '/api/v2/execute').map((r) => r.concurrent + 1))

describe('--concurrency', () => {
  it.each([1, 3])('--concurrency %i puts exactly that many jobs in flight at the server', { timeout: 60_000 }, async (concurrency) => {
    // Eight jobs that each take long enough to overlap with every other slot's.
    const fences = Array.from({ length: 8 }, (_, i) => fence('bash run', `sleep 0.4\necho ${i}`)).join('\n')
    const p = await project({ 'content/many.md': post('Many', fences) })
    const from = server().requests.length
    const run = await runMain(['check', '--concurrency', String(concurrency)], { cwd: p.dir, env: { PISTON_URL: server().url } })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain('8 snippets: 8 passed')
    expect(mostInFlight(from)).toBe(concurrency)
  })
})

describe('exit=any, end to end', () => {
  it('accepts any exit code, and says what accepts a kill, which has none', { timeout: 60_000 }, async () => {
    const body = [
      fence('bash run title="Clean" exit=any', 'echo ok'),
      fence('bash run title="Five" exit=any', 'echo five; exit 5'),
      fence('bash run title="Killed" exit=any timeout=300', 'echo started; sleep 30'),
    ].join('\n')
    const p = await project({ 'content/any.md': post('Any', body) })
    const run = await runMain(['check'], { cwd: p.dir, env: { PISTON_URL: server().url } })
    expect(run.stderr).toMatch(
      /content\/any\.md:\d+:1: error {2}bash snippet "Killed" stopped after 300 ms: the time limit \(expected any exit code, but a killed run has none: expect=any \(or expect=timeout\) accepts it\)/,
    )
    expect(run.stderr).toContain('3 snippets: 2 passed, 1 failed, 0 skipped')
    expect(run.code).toBe(1)
  })
})
