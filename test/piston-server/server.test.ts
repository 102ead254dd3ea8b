/**
 * The test server's behaviour beyond the recordings: Piston's other routes,
 * job queueing, CORS, newer-server shapes and configured limits.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Engine, ExecuteRequest, ExecuteResponse } from '../../src/execution/types.js'
import { startPistonServer } from './index.js'
import type { PistonServer, PistonServerOptions } from './index.js'

const servers: PistonServer[] = []
async function start(options: PistonServerOptions = {}): Promise<PistonServer> {
  const server = await startPistonServer(options)
  servers.push(server)
  return server
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const hello: ExecuteRequest = { language: 'python', version: '*', files: [{ name: 'main.py', content: 'print(1)' }] }

async function call(server: PistonServer, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.origin}${path}`, {
    method,
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) }
}

describe('Piston test server', () => {
  it('answers unknown routes with Piston\'s 404', async () => {
    const server = await start()
    expect(await call(server, 'GET', '/api/v2/nope')).toMatchObject({ status: 404, body: { message: 'Not Found' } })
    expect(await call(server, 'GET', '/')).toMatchObject({ status: 404 })
  })

  it('has the package routes a proxy must refuse', async () => {
    const server = await start()
    const list = await call(server, 'GET', '/api/v2/packages')
    expect(list.status).toBe(200)
    const python = (list.body as Array<{ language: string; language_version: string; installed: boolean }>).find((p) => p.language === 'python')
    expect(python?.installed).toBe(true)
    const install = await call(server, 'POST', '/api/v2/packages', { language: 'python', version: python?.language_version })
    expect(install).toMatchObject({ status: 200, body: { language: 'python' } })
    const remove = await call(server, 'DELETE', '/api/v2/packages', { language: 'cobol', version: '1.0.0' })
    expect(remove).toMatchObject({ status: 404, body: { message: 'Requested package cobol-1.0.0 does not exist' } })
    expect((await fetch(`${server.url}/packages`, { method: 'DELETE' })).status).toBe(415)
  })

  it('answers malformed JSON with a 400, as body-parser does', async () => {
    const server = await start()
    const response = await fetch(`${server.url}/execute`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ stack: expect.stringContaining('SyntaxError') })
  })

  it('validates file contents in Piston\'s words', async () => {
    const server = await start()
    const answer = await call(server, 'POST', '/api/v2/execute', { ...hello, files: [{ name: 'a.py' }] })
    expect(answer).toMatchObject({ status: 400, body: { message: 'files[0].content is required as a string' } })
  })

  it('enforces the configured run timeout and output cap', async () => {
    const server = await start({ runTimeout: 1000, outputMaxSize: 4 })
    const over = await call(server, 'POST', '/api/v2/execute', { ...hello, run_timeout: 2000 })
    expect(over).toMatchObject({ status: 400, body: { message: 'run_timeout cannot exceed the configured limit of 1000' } })
    const capped = await call(server, 'POST', '/api/v2/execute', { ...hello, files: [{ name: 'main.py', content: 'print(12345)' }] })
    expect(capped).toMatchObject({ status: 200, body: { run: { stdout: '', signal: 'SIGKILL' } } })
  })

  it('answers in newer servers\' shape when not legacy, without the client-side elapsed_ms', async () => {
    const server = await start({ legacy: false })
    const answer = await call(server, 'POST', '/api/v2/execute', hello)
    const body = answer.body as ExecuteResponse
    expect(body.run).toMatchObject({ stdout: '1\n', status: null, message: null, wall_time: expect.any(Number) })
    expect(body).not.toHaveProperty('elapsed_ms')
    expect(server.executions).toBe(1)
  })

  it('allows any origin and answers preflights when asked to', async () => {
    const server = await start({ cors: true })
    const preflight = await fetch(`${server.url}/execute`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*')
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST')
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Content-Type')
    const runtimes = await call(server, 'GET', '/api/v2/runtimes')
    expect(runtimes.headers.get('access-control-allow-origin')).toBe('*')
  })

  it('sends no CORS headers by default', async () => {
    const server = await start()
    expect((await call(server, 'GET', '/api/v2/runtimes')).headers.get('access-control-allow-origin')).toBeNull()
  })

  it('queues jobs beyond maxConcurrentJobs', async () => {
    // An engine whose jobs finish only when the test says so.
    const held: Array<() => void> = []
    let running = 0
    let mostAtOnce = 0
    const engine: Engine = {
      info: { kind: 'local' },
      runtimes: async () => [{ language: 'python', version: '3.11.2', aliases: [] }],
      async execute() {
        running++
        mostAtOnce = Math.max(mostAtOnce, running)
        await new Promise<void>((resolve) => held.push(resolve))
        running--
        const stage = { stdout: '', stderr: '', output: '', code: 0, signal: null }
        return { language: 'python', version: '3.11.2', run: stage }
      },
      close: async () => {},
    }
    const server = await start({ engine, maxConcurrentJobs: 2 })
    const answers = Array.from({ length: 5 }, () => call(server, 'POST', '/api/v2/execute', hello))
    await expect.poll(() => held.length).toBe(2)
    for (let released = 0; released < 5; released++) {
      await expect.poll(() => held.length).toBeGreaterThan(released)
      held[released]!()
    }
    expect((await Promise.all(answers)).map((a) => a.status)).toEqual([200, 200, 200, 200, 200])
    expect(mostAtOnce).toBe(2)
    expect(server.executions).toBe(5)
  })
})
