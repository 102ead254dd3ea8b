/**
 * Runs the test Piston server standalone, for developers and benchmarks:
 *   npx tsx test/piston-server/main.ts --port 2000 [--latency 100] [--max-jobs 4] [--cors] [--modern]
 * `--modern` answers with newer servers' status/message/wall_time fields.
 * Not a sandbox: jobs run as the current user (see the local engine).
 */
import { parseArgs } from 'node:util'
import { startPistonServer } from './index.js'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '2000' },
    latency: { type: 'string' },
    'max-jobs': { type: 'string' },
    cors: { type: 'boolean', default: false },
    modern: { type: 'boolean', default: false },
  },
})

function count(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number, got "${text}"`)
  return value
}

const latencyMs = count('latency', values.latency)
const maxConcurrentJobs = count('max-jobs', values['max-jobs'])
const server = await startPistonServer({
  port: count('port', values.port) ?? 2000,
  cors: values.cors,
  legacy: !values.modern,
  ...(latencyMs !== undefined ? { latencyMs } : {}),
  ...(maxConcurrentJobs !== undefined ? { maxConcurrentJobs } : {}),
})
console.log(`Piston test server listening on ${server.url}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0))
  })
}
