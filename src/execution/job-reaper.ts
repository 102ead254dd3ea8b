/**
 * Local jobs must not outlive the build, however it ends. The engine kills a
 * job's process group and removes its folder itself; when it cannot (the
 * build crashed, or was SIGKILLed), a small watchdog process does: it holds a
 * pipe from the build, and when that pipe closes it kills every job process
 * group and removes every job folder still registered. Folders left by a
 * build whose watchdog died too are removed by the next engine to start.
 */
import { spawn } from 'node:child_process'
import { readdir, rm } from 'node:fs/promises'
import path from 'node:path'
import type { Writable } from 'node:stream'
import { JOB_MARKER } from './job-processes.js'

/** Job folders are `runnable-blog-job-<pid of the build>-<random>`, so a stale one can be told from a live one. */
export const JOB_DIR_PREFIX = 'runnable-blog-job-'

/**
 * The watchdog: lines `+g<pgid>`, `-g<pgid>`, `+d<dir>`, `-d<dir>`, `+j<id>`,
 * `-j<id>` on stdin; at end of stdin, kill the groups and every process whose
 * environment carries a job's mark (job-processes.ts: those that left the
 * job's session), and remove the folders. It is detached, so a Ctrl+C or a
 * kill of the build's process group leaves it to clean up.
 */
const WATCHDOG = `
const fs = require('node:fs')
const sets = { g: new Set(), d: new Set(), j: new Set() }
const marked = (marks) => fs.readdirSync('/proc').filter((name) => /^\\d+$/.test(name)).filter((pid) => {
  try { const environ = fs.readFileSync('/proc/' + pid + '/environ'); return marks.some((mark) => environ.includes(mark)) } catch { return false }
})
let rest = ''
process.stdin.setEncoding('utf8')
process.stdin.on('data', (chunk) => {
  const lines = (rest + chunk).split('\\n')
  rest = lines.pop()
  for (const line of lines) sets[line[1]]?.[line[0] === '+' ? 'add' : 'delete'](line.slice(2))
})
process.stdin.on('end', () => {
  for (const group of sets.g) try { process.kill(-group, 'SIGKILL') } catch {}
  const marks = [...sets.j].map((id) => Buffer.from('${JOB_MARKER}=' + id + '\\0'))
  for (let round = 0; round < 10 && marks.length; round++) {
    const pids = (() => { try { return marked(marks) } catch { return [] } })()
    if (!pids.length) break
    for (const pid of pids) try { process.kill(Number(pid), 'SIGKILL') } catch {}
  }
  for (const dir of sets.d) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 })
})
`

export interface JobReaper {
  /** Registers a job's process group, folder or mark (its id) with the watchdog; the function returned unregisters it. */
  track(kind: 'group' | 'dir' | 'job', value: number | string): () => void
  /** Ends the watchdog (once every job is done). */
  close(): void
}

/** Starts the watchdog. It never keeps the build's event loop alive. */
export function startJobReaper(): JobReaper {
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] })
  const pipe = watchdog.stdin as Writable & { unref?(): void }
  // A watchdog that failed to start or died leaves the engine's own clean-up, as before it.
  watchdog.on('error', () => {})
  pipe.on('error', () => {})
  watchdog.unref()
  pipe.unref?.()
  const send = (line: string) => void (pipe.writable && pipe.write(`${line}\n`))
  return {
    track(kind, value) {
      const id = `${kind[0]}${value}`
      send(`+${id}`)
      return () => send(`-${id}`)
    },
    close: () => pipe.end(),
  }
}

/** Removes job folders under `parent` whose build is no longer running. */
export async function removeStaleJobDirs(parent: string): Promise<void> {
  const names = await readdir(parent).catch(() => [])
  const stale = names.filter((name) => {
    const pid = new RegExp(`^${JOB_DIR_PREFIX}(\\d+)-`).exec(name)?.[1]
    return pid !== undefined && !isRunning(Number(pid))
  })
  await Promise.all(stale.map((name) => rm(path.join(parent, name), { recursive: true, force: true })))
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: running, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
