/**
 * A local job's processes that left its session (`setsid cmd &`, a double
 * fork) die with the job, and the job never waits on the pipes they hold:
 * with the real local engine, bash and setsid, and a real build SIGKILLed.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocalEngine } from '../../src/execution/local-engine.js'
import type { Engine, ExecuteRequest } from '../../src/execution/types.js'
import { fence, makeProject, post, repoRoot, tsxLoader } from '../helpers/project.js'

// Long enough that waiting it out would show in the times below.
const RUN_TIMEOUT_MS = 20_000
let jobsDir: string
let engine: Engine
beforeAll(async () => {
  jobsDir = await mkdtemp(join(tmpdir(), 'rb-escaped-'))
  engine = createLocalEngine({ tmpDir: jobsDir, runTimeoutMs: RUN_TIMEOUT_MS })
})
afterAll(async () => {
  await engine.close()
  await rm(jobsDir, { recursive: true, force: true })
})

const sh = (content: string): ExecuteRequest => ({ language: 'bash', version: '*', files: [{ name: 'main.sh', content }] })

/** Running, and not a zombie. */
async function running(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
}

/** The pids a snippet printed, one per `pid=` line. */
const printed = (stdout: string) => [...stdout.matchAll(/^pid=(\d+)$/gm)].map((m) => Number(m[1]))

describe('processes that leave the job’s session', () => {
  // Each escapee writes its own pid to p; the program waits for it, prints it and exits.
  const report = '\nuntil [ -s p ]; do sleep 0.01; done\necho pid=$(cat p)\necho done'
  it.each([
    ['setsid, holding the pipes', `setsid bash -c 'echo $$ > p; exec sleep 317' &${report}`],
    ['setsid, its output elsewhere', `setsid bash -c 'echo $$ > p; exec sleep 317 >/dev/null 2>&1' </dev/null &${report}`],
    ['a double fork into a new session', `( setsid bash -c 'echo $$ > p; exec sleep 317' & )${report}`],
    ['a new session that forks again', `setsid bash -c 'sleep 317 & echo $! > p; wait' &${report}`],
  ])('%s: dies with the job, which ends when its program does', async (_, code) => {
    const started = performance.now()
    const result = await engine.execute(sh(code))
    const elapsed = performance.now() - started
    expect(result.run).toMatchObject({ code: 0, signal: null })
    expect(result.run.stdout).toMatch(/done\n$/)
    const pids = printed(result.run.stdout)
    expect(pids).toHaveLength(1)
    // Gone when the job's answer is: not after the time limit, not after the build.
    expect(await Promise.all(pids.map(running))).toEqual(pids.map(() => false))
    expect(elapsed).toBeLessThan(RUN_TIMEOUT_MS / 4)
  })

  it('dies when the build is SIGKILLed while the job runs', async () => {
    const marks = await mkdtemp(join(tmpdir(), 'rb-escaped-marks-'))
    const project = await makeProject({ 'content/slow.md': post('Slow', fence('bash run', `setsid sleep 318 >/dev/null 2>&1 &\necho $! > ${marks}/pid\nwait`)) })
    try {
      const build = spawn(process.execPath, ['--import', tsxLoader, join(repoRoot, 'src/cli/bin.ts'), 'check', '--engine', 'local'], {
        cwd: project.dir,
        env: { ...process.env, TMPDIR: jobsDir, GITHUB_ACTIONS: '' },
        stdio: 'ignore',
      })
      const exited = new Promise((resolve) => build.once('exit', resolve))
      await expect.poll(() => readFile(join(marks, 'pid'), 'utf8').then((t) => t.endsWith('\n'), () => false), { timeout: 40_000, interval: 50 }).toBe(true)
      const pid = Number(await readFile(join(marks, 'pid'), 'utf8'))
      expect(await running(pid)).toBe(true)
      build.kill('SIGKILL')
      await exited
      await expect.poll(() => running(pid), { timeout: 10_000, interval: 25 }).toBe(false)
    } finally {
      await project.remove()
      await rm(marks, { recursive: true, force: true })
    }
  }, 60_000)
})
