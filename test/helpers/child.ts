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
