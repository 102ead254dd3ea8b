// What a warm `check` loads: with every result in cache/, nothing is sent to
// Piston and nothing is highlighted (no page is written), so neither the HTTP
// client nor Shiki should be loaded. Each costs about a tenth of a second of
// start-up, which a plain remark pipeline does not pay.
import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { childOutput } from '../helpers/child.js'
import { makeProject, post, repoRoot, runMain, tsxLoader } from '../helpers/project.js'

// Records every package the process resolves (hooks run off the main thread: write straight to stderr).
const recordPackages = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module'
register('data:text/javascript,' + encodeURIComponent(\`
import { writeSync } from 'node:fs'
export async function resolve(specifier, context, next) {
  const found = await next(specifier, context)
  const name = found.url.match(/node_modules\\\\/((?:@[^/]+\\\\/)?[^/]+)\\\\//)
  if (name) writeSync(2, 'loaded ' + name[1] + '\\\\n')
  return found
}\`))
`)}`

let project: Awaited<ReturnType<typeof makeProject>>

beforeAll(async () => {
  project = await makeProject({ 'content/hello.md': post('Hello', '```python run\nprint("hello")\n```\n') })
  const update = await runMain(['update', '--engine', 'local'], { cwd: project.dir })
  expect(update.code, update.stderr).toBe(0)
})
afterAll(() => project.remove())

describe('start-up of a warm check', () => {
  it('loads neither undici nor Shiki', async () => {
    const script = `const { main } = await import(${JSON.stringify(`${repoRoot}src/cli/main.ts`)}); process.exitCode = await main(['check', '--frozen'])`
    const child = spawn(process.execPath, ['--import', tsxLoader, '--import', recordPackages, '--input-type=module', '-e', script], { cwd: project.dir, stdio: ['ignore', 'pipe', 'pipe'] })
    const run = await childOutput(child)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain('1 snippet')
    const loaded = new Set([...run.stderr.matchAll(/^loaded (\S+)$/gm)].map((m) => m[1]))
    // The hook does see the pipeline's packages, so an absence below means something.
    expect(loaded).toContain('remark-parse')
    expect(loaded).not.toContain('undici')
    expect(loaded).not.toContain('@shikijs/core')
  })
})
