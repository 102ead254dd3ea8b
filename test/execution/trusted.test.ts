/**
 * Only the program's own result is committed (issue 26): against the test
 * Piston server in Piston 3.1.1's shapes (no `status`), with answers a busy
 * server gives injected where a real run cannot give them on demand.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import rehypeStringify from 'rehype-stringify'
import { unified } from 'unified'
import { VFile } from 'vfile'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createCacheStore } from '../../src/cache/store.js'
import { createPistonEngine } from '../../src/execution/piston-client.js'
import { createRunner } from '../../src/execution/runner.js'
import type { Engine } from '../../src/execution/types.js'
import remarkRunnable from '../../src/markdown/plugin.js'
import { fence } from '../helpers/project.js'
import { type PistonServer, startPistonServer } from '../piston-server/index.js'

const RUN_TIMEOUT = 1000
let server: PistonServer
let engine: Engine
let cacheDir: string
beforeAll(async () => {
  server = await startPistonServer({ runTimeout: RUN_TIMEOUT })
  engine = createPistonEngine({ url: server.url })
  await engine.runtimes()
})
afterAll(async () => {
  await engine.close()
  await server.close()
})
afterEach(async () => {
  expect(server.clearFaults(), 'faults injected but never used').toEqual([])
  await rm(cacheDir, { recursive: true, force: true })
})

async function build(markdown: string) {
  cacheDir = await mkdtemp(join(tmpdir(), 'rb-trusted-'))
  const runner = createRunner({ engine, cache: createCacheStore(cacheDir), concurrency: 3 })
  const processor = unified().use(remarkParse).use(remarkRunnable, { runner, limits: { timeoutMs: RUN_TIMEOUT } }).use(remarkRehype).use(rehypeStringify)
  const file = await processor.process(new VFile({ path: 'post.md', value: markdown }))
  return {
    messages: file.messages.map((m) => `${m.ruleId} ${m.fatal} ${m.reason}`),
    statuses: file.data.snippets?.map((s) => s.status),
    cached: (await readdir(cacheDir).catch(() => [])).length,
  }
}

const executes = (from: number) => server.requests.slice(from).filter((r) => r.path === '/api/v2/execute')
const legacy = (run: Record<string, unknown>) => ({
  language: 'python',
  version: '3.11.2',
  run: { stdout: '', stderr: '', output: '', code: null, signal: null, ...run },
})

describe('a kill or timeout the fence did not declare', () => {
  it('is run again alone once; a busy server’s kill then gives way to the real result, which is kept', async () => {
    const from = server.requests.length
    server.inject({ type: 'answer', body: legacy({ stdout: 'x\n', output: 'x\n', signal: 'SIGKILL' }) })
    const { messages, statuses, cached } = await build(fence('python run', 'print("fine")'))
    expect(messages).toEqual([])
    expect(statuses).toEqual(['passed'])
    expect(executes(from)).toHaveLength(2)
    expect(executes(from)[1]!.concurrent).toBe(0)
    expect(cached).toBe(1)
  })

  it('is reported but not cached when it happens again, so the next build tries again', async () => {
    const from = server.requests.length
    const { messages, statuses, cached } = await build(fence('python run title="Slow"', 'import time\nprint("started", flush=True)\ntime.sleep(30)'))
    expect(messages).toEqual([
      'snippet-failed true python snippet "Slow" stopped after 1 s: the time limit (expected exit code 0); not cached, so the next build runs it again',
    ])
    expect(statuses).toEqual(['failed'])
    expect(executes(from)).toHaveLength(2)
    expect(cached).toBe(0)
  })

  it('is kept as today when the fence declares it, and not run again', async () => {
    const from = server.requests.length
    const { messages, statuses, cached } = await build(fence('python run expect=timeout', 'import time\ntime.sleep(30)'))
    expect(messages).toEqual([])
    expect(statuses).toEqual(['passed'])
    expect(executes(from)).toHaveLength(1)
    expect(cached).toBe(1)
  })
})

describe('an answer that may have lost output (an empty stream with a non-zero exit or a kill)', () => {
  const sql = fence('sqlite3 run title="Query"', 'SELECT * FROM missing;')

  it('is run again alone before it is trusted: the real answer counts', async () => {
    const from = server.requests.length
    server.inject({ type: 'answer', body: { ...legacy({ code: 1 }), language: 'sqlite3', version: '3.40.1' } })
    const { messages } = await build(sql)
    expect(executes(from)).toHaveLength(2)
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatch(/^snippet-failed true sqlite3 snippet "Query" exited with code 1 \(expected exit code 0\)$/)
  })

  it('still ambiguous alone, is shown with a note that the server may have dropped output, and is not cached', async () => {
    const lost = { type: 'answer' as const, body: { ...legacy({ code: 1 }), language: 'sqlite3', version: '3.40.1' } }
    server.inject(lost, lost)
    const { messages, cached } = await build(sql)
    expect(messages).toEqual([
      'ambiguous-result false sqlite3 snippet "Query": the server may have dropped output: twice, the second time run alone, it answered that the program exited with code 1 with no output at all, and it does not say why it ended a program (Piston 3.1.1); shown as the server answered, which may not be the program\'s own result',
      'snippet-failed true sqlite3 snippet "Query" exited with code 1 (expected exit code 0); not cached, so the next build runs it again',
    ])
    expect(cached).toBe(0)
  })

  it('declared (exit=1), is kept as today', async () => {
    const from = server.requests.length
    server.inject({ type: 'answer', body: { ...legacy({ code: 1 }), language: 'sqlite3', version: '3.40.1' } })
    const { messages, statuses, cached } = await build(fence('sqlite3 run title="Query" exit=1', 'SELECT * FROM missing;'))
    expect(messages).toEqual([])
    expect(statuses).toEqual(['passed'])
    expect(executes(from)).toHaveLength(1)
    expect(cached).toBe(1)
  })
})
