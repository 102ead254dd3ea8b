/** Dev servers and watchers in tests: children that run until stopped. */
import type { ChildProcess } from 'node:child_process'
import { expect } from 'vitest'
import { childOutput } from './child.js'

/** A child that runs until stopped (a dev server, a watcher), spawned `detached`: in a process group of its own. */
export interface LongRunningChild {
  /** What it printed so far (stdout and stderr). */
  output(): string
  /** Whether it is still running. */
  running(): boolean
  /**
   * Waits until `check` holds (polled: a condition with a deadline, not a
   * fixed wait); fails at once, with what the child printed, if it exits.
   */
  until(what: string, check: () => boolean | Promise<boolean>, timeout?: number): Promise<void>
  /** Ends its whole process group (SIGTERM, then SIGKILL after 10 s) and waits until the child has exited. */
  stop(): Promise<void>
}

export function longRunning(child: ChildProcess): LongRunningChild {
  const exited = childOutput(child).catch(() => undefined)
  let output = ''
  for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk: string) => (output += chunk))
  const running = () => child.exitCode === null && child.signalCode === null
  // The group outlives the child: end it also when the test process exits first.
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal)
    } catch {
      // Gone already.
    }
  }
  const onExit = () => killGroup('SIGKILL')
  process.once('exit', onExit)
  return {
    output: () => output,
    running,
    async until(what, check, timeout = 60_000) {
      try {
        await expect.poll(async () => !running() || (await check()), { timeout, interval: 100 }).toBe(true)
      } catch {
        throw new Error(`timed out waiting for ${what}; the child printed:\n${output}`)
      }
      if (!running()) throw new Error(`the child exited while waiting for ${what}; it printed:\n${output}`)
    },
    async stop() {
      process.off('exit', onExit)
      if (child.pid === undefined) return
      killGroup('SIGTERM')
      const late = setTimeout(() => killGroup('SIGKILL'), 10_000)
      await exited
      clearTimeout(late)
      killGroup('SIGKILL') // whatever of the group is left
    },
  }
}
