/**
 * The Piston-protocol test server (test/piston-server/main.ts) as a separate
 * process, so that a test can kill it the way a replica dies: SIGKILL, every
 * open connection reset by the kernel, the port refusing from then on.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { REPO_ROOT } from './caddy.js'

export interface PistonProcess {
  port: number
  /** API root, http://127.0.0.1:PORT/api/v2 */
  url: string
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>
}

export async function startPistonProcess(args: string[] = []): Promise<PistonProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test', 'piston-server', 'main.ts'), '--port', '0', ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  let output = ''
  const url = await new Promise<string>((done, fail) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/api\/v2)/.exec(output)
      if (m) done(m[1]!)
    }
    child.stdout.on('data', read)
    child.stderr.on('data', read)
    child.once('error', fail)
    void exited.then(() => fail(new Error(`test Piston server exited before listening:\n${output}`)))
  })
  return {
    url,
    port: Number(new URL(url).port),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
  }
}
