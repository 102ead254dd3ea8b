/** What a child process printed, and how it ended: shared by the tests and the bench. */
import type { ChildProcess } from 'node:child_process'

export interface ChildOutput {
  code: number | null
  stdout: string
  stderr: string
}

/** Collects a spawned child's stdout and stderr (both piped) until it closes. */
export function childOutput(child: ChildProcess): Promise<ChildOutput> {
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** A child that runs until stopped (a dev server, a watcher), spawned `detached`: in a process group of its own. */
export interface LongRunningChild {
  /** What it printed so far (stdout and stderr). */
  output(): string
  /** Whether it is still running. */
  running(): boolean
  /** Ends its whole process group and waits until it has exited. */
  stop(): Promise<void>
}

export function longRunning(child: ChildProcess): LongRunningChild {
  const exited = childOutput(child)
  let output = ''
  for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk: string) => (output += chunk))
  return {
    output: () => output,
    running: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGTERM')
      await exited
    },
  }
}
