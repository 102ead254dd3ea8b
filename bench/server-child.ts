/**
 * The Piston-protocol test server in its own process, as a real Piston is:
 * the build under measurement does not share its event loop with the server.
 * Configured by BENCH_SERVER (JSON: latencyMs, maxConcurrentJobs, engine
 * "hello" | "local"); sends `{ url }` over IPC, answers "stats" with
 * `{ executions, requests, jobs }`, and closes on "close". `jobs` is job time
 * as the server sees it (hello engine only): each job's slot time (the added
 * latency and the engine's answer), summed, and when the first job started
 * and the last ended (epoch ms), so efficiency is not judged by the client's
 * own clock, which a busy build thread delays.
 */
import { startPistonServer } from '../test/piston-server/index.js'
import { createHelloEngine } from './fake-engine.js'

export interface ServerChildConfig {
  latencyMs: number
  maxConcurrentJobs: number
  engine: 'hello' | 'local'
}

const config = JSON.parse(process.env.BENCH_SERVER ?? '{}') as ServerChildConfig
const now = () => performance.timeOrigin + performance.now()
const jobs = { count: 0, busyMs: 0, firstStart: 0, lastEnd: 0 }
const hello = createHelloEngine()
// The server sleeps `latencyMs` in the job's slot, then calls the engine: the job began that long before.
const timed: typeof hello = Object.assign(Object.create(hello) as typeof hello, {
  async execute(...args: Parameters<typeof hello.execute>) {
    const start = now() - config.latencyMs
    const answer = await hello.execute(...args)
    const end = now()
    jobs.count++
    jobs.busyMs += end - start
    jobs.firstStart = jobs.firstStart ? Math.min(jobs.firstStart, start) : start
    jobs.lastEnd = Math.max(jobs.lastEnd, end)
    return answer
  },
})
const server = await startPistonServer({
  latencyMs: config.latencyMs,
  maxConcurrentJobs: config.maxConcurrentJobs,
  ...(config.engine === 'hello' ? { engine: timed } : {}),
})
process.send!({ url: server.url })
process.on('message', (message) => {
  if (message === 'stats') {
    const execute = server.requests.filter((r) => r.path.endsWith('/execute')).length
    process.send!({ executions: server.executions, requests: server.requests.length, executeRequests: execute, jobs })
  } else if (message === 'reset') {
    server.requests.length = 0
    Object.assign(jobs, { count: 0, busyMs: 0, firstStart: 0, lastEnd: 0 })
    process.send!({ reset: true })
  } else if (message === 'close') {
    void server.close().then(() => process.exit(0))
  }
})
