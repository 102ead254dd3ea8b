/**
 * Every process a local job started, wherever it went. A job runs in its own
 * session and process group, but `setsid cmd &` (or a double fork) leaves
 * both, so the engine also marks the job's environment and, once the job
 * ends, kills every process that still carries the mark: children inherit
 * the environment whatever session they move to. Linux only (/proc);
 * elsewhere the group kill is all there is.
 */
import { readdir, readFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'

/** The environment variable that marks a job's processes; its value is the job's id. */
export const JOB_MARKER = 'RUNNABLE_BLOG_JOB'

/** Rounds of look-and-kill: one more each time a process forked between a look and its kill. */
const ROUNDS = 10

/**
 * The last pid the kernel handed out (the fifth field of /proc/loadavg), or
 * undefined where there is no /proc. Taken before a job starts, it bounds
 * the pids its processes can have, so the sweep reads a few processes'
 * environments rather than every process's.
 */
export function lastPid(): number | undefined {
  try {
    const pid = Number(readFileSync('/proc/loadavg', 'latin1').trim().split(/\s+/)[4])
    return Number.isInteger(pid) ? pid : undefined
  } catch {
    return undefined
  }
}

/** Pids handed out after `since` (wrapping round pid_max), among those running. */
function issuedSince(pids: number[], since: number | undefined): number[] {
  const now = lastPid()
  if (since === undefined || now === undefined) return pids
  return pids.filter((pid) => (now >= since ? pid > since && pid <= now : pid > since || pid <= now))
}

/** Running processes issued after `since` whose environment carries the job's mark. */
async function marked(id: string, since: number | undefined): Promise<number[]> {
  const names = await readdir('/proc').catch(() => [] as string[])
  const pids = issuedSince(names.filter((name) => /^\d+$/.test(name)).map(Number), since).filter((pid) => pid !== process.pid)
  const mark = Buffer.from(`${JOB_MARKER}=${id}\0`)
  const found = await Promise.all(
    pids.map((pid) => readFile(`/proc/${pid}/environ`).then((environ) => (environ.includes(mark) ? pid : undefined), () => undefined)),
  )
  return found.filter((pid) => pid !== undefined)
}

/** SIGKILLs every process of the job `id` started after pid `since`, however it left the job's session. */
export async function killJobProcesses(id: string, since: number | undefined): Promise<void> {
  for (let round = 0; round < ROUNDS; round++) {
    const pids = await marked(id, since)
    if (pids.length === 0) return
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // Gone already.
      }
    }
  }
}
