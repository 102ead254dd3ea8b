/**
 * An Engine for the Piston-protocol test server that answers every job at
 * once with the same hello-world stage. Behind the server's `latencyMs`, a
 * cold build then measures protocol + latency + client concurrency, not
 * interpreter start-up on this machine's few cores.
 */
import type { Engine, ExecuteRequest, ExecuteResponse, Runtime } from '../src/execution/types.js'

const RUNTIMES: Runtime[] = [
  { language: 'bash', version: '5.2.0', aliases: ['sh'] },
  { language: 'javascript', version: '20.11.1', aliases: ['node-javascript', 'node-js', 'javascript', 'js'], runtime: 'node' },
  { language: 'python', version: '3.12.0', aliases: ['py', 'py3', 'python3', 'python3.12'] },
  { language: 'sqlite3', version: '3.45.1', aliases: ['sqlite', 'sql'] },
]

export function createHelloEngine(): Engine & { readonly calls: number } {
  let calls = 0
  return {
    info: { kind: 'piston' },
    get calls() {
      return calls
    },
    async runtimes() {
      return RUNTIMES
    },
    async execute(request: ExecuteRequest): Promise<ExecuteResponse> {
      calls++
      const runtime = RUNTIMES.find((rt) => rt.language === request.language || rt.aliases.includes(request.language)) ?? RUNTIMES[0]!
      const text = 'Hello, world!\n'
      return { language: runtime.language, version: runtime.version, run: { stdout: text, stderr: '', output: text, code: 0, signal: null } }
    },
    async close() {},
  }
}
