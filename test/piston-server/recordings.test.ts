/**
 * Replays every exchange recorded against a real Piston 3.1.1 on the test
 * server and checks that it answers the same way: status, content type,
 * keys, outcome, and output where the output is deterministic.
 */
import { readdirSync, readFileSync } from 'node:fs'
import semver from 'semver'
import { afterAll, beforeAll, describe, it } from 'vitest'
import type { ExpectStatic } from 'vitest'
import type { ExecuteResponse, Runtime, Stage } from '../../src/execution/types.js'
import { startPistonServer } from './index.js'
import type { PistonServer } from './index.js'

interface Recording {
  request: { method: string; path: string; contentType: string | null; body: unknown }
  response: { status: number; contentType: string; body: unknown }
}

// Copied from a real Piston 3.1.1 (see the folder's README.md), so the suite needs nothing outside the repo.
const folder = new URL('./fixtures/piston-recordings/', import.meta.url)
const recordings = readdirSync(folder)
  .filter((name) => name.endsWith('.json'))
  .map((name) => ({ name: name.replace(/\.json$/, ''), ...(JSON.parse(readFileSync(new URL(name, folder), 'utf8')) as Recording) }))

/** True when `output` is `stdout` and `stderr` merged without reordering either. */
function isInterleaving(output: string, stdout: string, stderr: string): boolean {
  if (output.length !== stdout.length + stderr.length) return false
  // reachable[j]: output[0, i + j) can be built from stdout[0, i) and stderr[0, j).
  let reachable = Array.from({ length: stderr.length + 1 }, (_, j) => stderr.startsWith(output.slice(0, j)))
  for (let i = 1; i <= stdout.length; i++) {
    const next: boolean[] = []
    for (let j = 0; j <= stderr.length; j++) {
      next.push(
        (reachable[j]! && output[i + j - 1] === stdout[i - 1]) || (j > 0 && next[j - 1]! && output[i + j - 1] === stderr[j - 1]),
      )
    }
    reachable = next
  }
  return reachable[stderr.length]!
}

/** Job paths and Node's internal frames differ between machines; the rest must not. */
function normaliseStderr(text: string): string {
  return text
    .replace(/\/piston\/jobs\/[0-9a-f-]+\//g, '<job>/')
    .replace(/\/[^\s"]*runnable-blog-job-[^/]+\//g, '<job>/')
    .replace(/^ {4}at (.*\()?node:internal\/.*\n/gm, '')
    .replace(/^Node\.js v[\d.]+$/m, 'Node.js v<version>')
}

const fullBashLines = Array.from({ length: 300 }, (_, i) => `line ${i + 1}\n`).join('')

/** Recordings whose stdout depends on the machine: how to check it instead. */
const stdoutChecks: Record<string, (expect: ExpectStatic, ours: Stage, runtime: ExecuteResponse) => void> = {
  // Cut wherever the chunk that crossed the cap began: some whole-line prefix.
  'bash-output-cap-lines': (expect, ours) => {
    expect(fullBashLines.startsWith(ours.stdout)).toBe(true)
    expect(ours.stdout === '' || ours.stdout.endsWith('\n')).toBe(true)
    expect(ours.stdout.length).toBeLessThanOrEqual(1024)
  },
  // stderr reaches the pipe before exit; stdout is flushed at exit, unless the kill came first.
  'python-stderr-cap': (expect, ours) => {
    expect(['', 'ok\n']).toContain(ours.stdout)
  },
  'python-version-selector': (expect, ours, response) => {
    expect(ours.stdout).toBe(`(3, ${semver.minor(response.version)})\n`)
  },
}

let server: PistonServer

beforeAll(async () => {
  server = await startPistonServer()
})
afterAll(async () => {
  await server.close()
})

describe('recorded Piston 3.1.1 exchanges replayed on the test server', () => {
  it('covers every recording', ({ expect }) => {
    expect(recordings.length).toBeGreaterThanOrEqual(30)
  })

  for (const recording of recordings) {
    it.concurrent(recording.name, async ({ expect }) => {
      const { request, response: recorded } = recording
      const answer = await fetch(`${server.origin}${request.path}`, {
        method: request.method,
        ...(request.contentType ? { headers: { 'content-type': request.contentType } } : {}),
        ...(request.body !== null
          ? { body: typeof request.body === 'string' ? request.body : JSON.stringify(request.body) }
          : {}),
      })
      const body = (await answer.json()) as unknown
      expect(answer.status).toBe(recorded.status)
      expect(answer.headers.get('content-type')).toBe(recorded.contentType)

      if (recorded.status !== 200) {
        expect(body).toEqual(recorded.body)
        return
      }
      if (Array.isArray(recorded.body)) {
        // Runtimes: each recorded language is here under the same names; versions are this machine's.
        const ours = body as Runtime[]
        for (const expected of recorded.body as Runtime[]) {
          const found = ours.find((rt) => rt.language === expected.language)
          expect(found, expected.language).toBeDefined()
          expect(Object.keys(found!).sort()).toEqual(Object.keys(expected).sort())
          expect(found!.aliases).toEqual(expected.aliases)
          expect(found!.runtime).toBe(expected.runtime)
          expect(semver.valid(found!.version)).not.toBeNull()
        }
        return
      }

      const expected = recorded.body as ExecuteResponse
      const ours = body as ExecuteResponse
      expect(Object.keys(ours).sort()).toEqual(Object.keys(expected).sort())
      expect(Object.keys(ours.run).sort()).toEqual(Object.keys(expected.run).sort())
      expect(ours.language).toBe(expected.language)
      expect(semver.satisfies(ours.version, (request.body as { version: string }).version)).toBe(true)
      expect({ code: ours.run.code, signal: ours.run.signal }).toEqual({ code: expected.run.code, signal: expected.run.signal })
      const checkStdout = stdoutChecks[recording.name]
      if (checkStdout) checkStdout(expect, ours.run, ours)
      else expect(ours.run.stdout).toBe(expected.run.stdout)
      expect(normaliseStderr(ours.run.stderr)).toBe(normaliseStderr(expected.run.stderr))
      expect(isInterleaving(ours.run.output, ours.run.stdout, ours.run.stderr)).toBe(true)
    })
  }
})
