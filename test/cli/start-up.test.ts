// What a warm build loads. With every result in cache/, nothing is sent to
// Piston, and `check` highlights nothing (it writes no page), so neither the
// HTTP client nor Shiki should be loaded; the compiled package's browser
// scripts are bundled already, so esbuild is not loaded either. Each costs
// about a tenth of a second of start-up, which a plain remark pipeline does
// not pay.
import { spawn } from 'node:child_process'
import { build } from 'esbuild'
import type * as LiveScript from '../../src/adapters/live-script.js'
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
  it('loads neither undici, Shiki nor diff', async () => {
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
    // Nor what only an output mismatch needs.
    expect(loaded).not.toContain('diff')
  })

  it('the compiled package serves its browser scripts without esbuild, the same text a fresh bundle gives', async () => {
    // lib/ is compiled once for the suite (test/global-setup.ts).
    const script = `const { liveScript, copyScript } = await import(${JSON.stringify(`${repoRoot}lib/adapters/live-script.js`)}); console.log(JSON.stringify([await liveScript(), await copyScript()]))`
    const child = spawn(process.execPath, ['--import', recordPackages, '--input-type=module', '-e', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] })
    const run = await childOutput(child)
    expect(run.code, run.stderr).toBe(0)
    // What a build from lib/ bundled before (lib/client's sources, lib/render's JavaScript), here and now.
    const { liveScriptOptions, copyScriptOptions } = (await import(`${repoRoot}lib/adapters/live-script.js`)) as typeof LiveScript
    const fresh = await Promise.all([liveScriptOptions, copyScriptOptions].map(async (options) => (await build(options)).outputFiles[0]!.text))
    expect(JSON.parse(run.stdout)).toEqual(fresh)
    expect(run.stderr).not.toMatch(/^loaded esbuild$/m)
  })
})
