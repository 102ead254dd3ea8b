/**
 * The Piston-protocol test server in its own process, as a real Piston is:
 * the build under measurement does not share its event loop with the server.
 * Configured by BENCH_SERVER (JSON: latencyMs, maxConcurrentJobs, engine
 * "hello" | "local"); sends `{ url }` over IPC, answers "stats" with
 * `{ executions, requests }`, and closes on "close".
 */
import { startPistonServer } from '../test/piston-server/index.js'
import { createHelloEngine } from './fake-engine.js'

export interface ServerChildConfig {
  latencyMs: number
  maxConcurrentJobs: number
  engine: 'hello' | 'local'
}

const config = JSON.parse(process.env.BENCH_SERVER ?? '{}') as ServerChildConfig
const server = await startPistonServer({
  latencyMs: config.latencyMs,
  maxConcurrentJobs: config.maxConcurrentJobs,
  ...(config.engine === 'hello' ? { engine: createHelloEngine() } : {}),
})
process.send!({ url: server.url })
process.on('message', (message) => {
  if (message === 'stats') {
    const execute = server.requests.filter((r) => r.path.endsWith('/execute')).length
    process.send!({ executions: server.executions, requests: server.requests.length, executeRequests: execute })
  } else if (message === 'reset') {
    server.requests.length = 0
    process.send!({ reset: true })
  } else if (message === 'close') {
    void server.close().then(() => process.exit(0))
  }
})
