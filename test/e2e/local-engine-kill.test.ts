/**
 * `--engine local` after the build dies: a real build is SIGKILLed while a
 * snippet (and a process it put in the background) runs; neither may outlive
 * it, and its job folder (the snippet's source) must go too. Job folders a
 * dead build left behind are removed by the next engine.
 */
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createLocalEngine } from '../../src/execution/local-engine.js'
import { fence, makeProject, post, repoRoot, tsxLoader } from '../helpers/project.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rb-kill-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** Running, and not a zombie (a process whose parent went away may wait unreaped). */
async function running(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
}

const until = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 25 })

describe('the local engine when the build dies', () => {
  it('leaves no snippet process and no job folder after a SIGKILL of the build', async () => {
    const jobsParent = await tempDir()
    const marks = await tempDir()
    // The snippet records its pid, a background child's pid and its folder, then waits far past the time limit.
    const snippet = `echo $$ > ${marks}/main\nsleep 120 &\necho $! > ${marks}/background\npwd > ${marks}/dir\nwait`
    const project = await makeProject({ 'content/slow.md': post('Slow', fence('bash run', snippet)) })
    cleanups.push(project.remove)
    const build = spawn(process.execPath, ['--import', tsxLoader, join(repoRoot, 'src/cli/bin.ts'), 'check', '--engine', 'local'], {
      cwd: project.dir,
      env: { ...process.env, TMPDIR: jobsParent, GITHUB_ACTIONS: '' },
      stdio: 'ignore',
    })
    const exited = new Promise((resolve) => build.once('exit', resolve))
    // Starting the CLI (tsx, runtime probes) takes seconds on a busy machine.
    await expect.poll(() => readFile(join(marks, 'dir'), 'utf8').then((text) => text !== '', () => false), { timeout: 40_000, interval: 50 }).toBe(true)
    const pids = await Promise.all(['main', 'background'].map(async (name) => Number(await readFile(join(marks, name), 'utf8'))))
    const dir = (await readFile(join(marks, 'dir'), 'utf8')).trim()
    expect(dir.startsWith(join(jobsParent, 'runnable-blog-job-'))).toBe(true)
    expect(await Promise.all(pids.map(running))).toEqual([true, true])

    build.kill('SIGKILL')
    await exited
    await until(() => Promise.all(pids.map(running))).toEqual([false, false])
    // tsx keeps its cache in TMPDIR too.
    await until(async () => (await readdir(jobsParent)).filter((name) => name.startsWith('runnable-blog-job-'))).toEqual([])
  }, 60_000)

  it('removes job folders of builds no longer running, and only those', async () => {
    const jobsParent = await tempDir()
    const gone = spawn('true')
    await new Promise((resolve) => gone.once('exit', resolve))
    const stale = join(jobsParent, `runnable-blog-job-${gone.pid}-a1b2c3`)
    const live = join(jobsParent, `runnable-blog-job-${process.pid}-d4e5f6`)
    const unrelated = join(jobsParent, 'someone-elses-folder')
    for (const dir of [stale, live, unrelated]) {
      await mkdir(dir)
      await writeFile(join(dir, 'main.py'), 'print("secret source")')
    }
    const engine = createLocalEngine({ tmpDir: jobsParent })
    const result = await engine.execute({ language: 'bash', version: '*', files: [{ name: 'main.sh', content: 'echo ok' }] })
    await engine.close()
    expect(result.run.stdout).toBe('ok\n')
    expect((await readdir(jobsParent)).sort()).toEqual([live, unrelated].map((d) => d.slice(jobsParent.length + 1)).sort())
  })
})
