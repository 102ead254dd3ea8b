/**
 * A clean exit with no output, from a server without `status`, is confirmed
 * by running the job again alone before it decides anything (issue 11): a
 * busy Piston 3.1.1 answered so for programs it had killed for printing too
 * much. The test server injects that answer (`lost-output`).
 */
import { mkdtemp, rm } from 'node:fs/promises'
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

let server: PistonServer
let engine: Engine
let cacheDir: string
beforeAll(async () => {
  server = await startPistonServer()
  engine = createPistonEngine({ url: server.url })
  // Fetched first, so that the injected fault meets an execute request.
  await engine.runtimes()
})
afterAll(async () => {
  await engine.close()
  await server.close()
})
afterEach(() => rm(cacheDir, { recursive: true, force: true }))

async function build(markdown: string, concurrency = 4) {
  cacheDir = await mkdtemp(join(tmpdir(), 'rb-confirm-'))
  const runner = createRunner({ engine, cache: createCacheStore(cacheDir), concurrency })
  const processor = unified().use(remarkParse).use(remarkRunnable, { runner }).use(remarkRehype).use(rehypeStringify)
  const file = await processor.process(new VFile({ path: 'post.md', value: markdown }))
  return { file, messages: file.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.fatal} ${m.reason}`) }
}

const executes = (from: number) => server.requests.slice(from).filter((r) => r.path === '/api/v2/execute')

describe('an answer a server without status cannot make unambiguous', () => {
  const NOTE = 'the server answered a clean exit with no output, as a busy Piston 3.1.1 also answers for a program it killed; run again alone, it'

  it.each([
    [
      'does not decide a build by chance: run again alone, the real ending counts, and the report says so',
      true,
      fence('python run title="Too much output" expect=output-limit', 'print("A" * 2000)'),
      `python snippet "Too much output": ${NOTE} was killed: the output most likely exceeded the server's limit of 1024 characters (the server does not say why), which is what counts`,
    ],
    ['says when the answer held, for a program that prints nothing', false, fence('python run', 'x = 1'), `python snippet: ${NOTE} answered the same`],
  ])('%s', async (_, inject, markdown, note) => {
    const from = server.requests.length
    if (inject) server.inject({ type: 'lost-output' })
    const { file, messages } = await build(markdown)
    expect(messages).toEqual([`1:1 confirmed-result undefined ${note}`])
    expect(file.data.snippets?.map((s) => s.status)).toEqual(['passed'])
    expect(executes(from)).toHaveLength(2)
  })

  it('runs the job again with nothing else of the build in flight', async () => {
    const from = server.requests.length
    server.inject({ type: 'lost-output' })
    const others = Array.from({ length: 5 }, (_, i) => fence('python run', `import time\ntime.sleep(0.2)\nprint(${i})`)).join('\n')
    const { messages } = await build(`${fence('python run expect=output-limit', 'print("A" * 2000)')}\n${others}`, 3)
    expect(messages).toHaveLength(1)
    const requests = executes(from)
    expect(requests).toHaveLength(7)
    const faulted = requests[0]!
    const again = requests.filter((r) => JSON.stringify(r.body) === JSON.stringify(faulted.body))
    expect(again).toHaveLength(2)
    expect(again[1]!.concurrent).toBe(0)
    // The jobs queued before it were all answered first.
    expect(requests.indexOf(again[1]!)).toBe(6)
  })
})

describe('expect=output-limit or timeout answered by a clean exit with no output', () => {
  const fenceLine = (expect: string) => fence(`python run title="Loud" expect=${expect}`, 'print("A" * 2000)')
  const resolved = { language: 'python', version: '3.12.0' }
  const stage = (extra: Record<string, unknown>) => ({ stdout: '', stderr: '', output: '', code: 0, signal: null, ...extra })

  it.each(['output-limit', 'timeout'])('expect=%s: from a server that does not say why, accepted as ambiguous, with a note', async (expect_) => {
    const from = server.requests.length
    // Both answers lost: the second, run alone, too (Piston 3.1.1's cap kill races the exit).
    server.inject({ type: 'lost-output' }, { type: 'lost-output' })
    const { file, messages } = await build(fenceLine(expect_))
    expect(messages).toEqual([
      `1:1 ambiguous-result false python snippet "Loud": the server answered a clean exit with no output twice, the second time run alone, which a server that does not say why it ended a program (Piston 3.1.1) also answers for one it killed; accepted for expect=${expect_}, unconfirmed`,
    ])
    expect(file.data.snippets?.map((s) => s.status)).toEqual(['passed'])
    expect(executes(from)).toHaveLength(2)
  })

  it('a clean exit with output still fails', async () => {
    server.inject({ type: 'answer', body: { ...resolved, run: stage({ stdout: 'x\n', output: 'x\n' }) } })
    const { file, messages } = await build(fenceLine('output-limit'))
    expect(messages).toEqual(['1:1 snippet-failed true python snippet "Loud" exited with code 0 (expected the output limit to be hit)'])
    expect(file.data.snippets?.map((s) => s.status)).toEqual(['failed'])
  })

  it('a clean exit with no output from a server that says why it ended a program still fails', async () => {
    server.inject({ type: 'answer', body: { ...resolved, run: stage({ status: null, message: null }) } })
    const { messages } = await build(fenceLine('output-limit'))
    expect(messages).toEqual(['1:1 snippet-failed true python snippet "Loud" exited with code 0 (expected the output limit to be hit)'])
  })
})
