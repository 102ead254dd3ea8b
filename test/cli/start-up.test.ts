// What a warm build loads. With every result in cache/, nothing is sent to
// Piston, and `check` highlights nothing (it writes no page), so neither the
// HTTP client, semver (it resolves runtimes for a job to run) nor Shiki
// should be loaded; the compiled package's browser
// scripts are bundled already, so esbuild is not loaded either. Each costs
// about a tenth of a second of start-up, which a plain remark pipeline does
// not pay.
import { spawn } from 'node:child_process'
import { build } from 'esbuild'
import { copyScriptOptions, liveScriptOptions } from '../../src/adapters/live-script.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { childOutput } from '../helpers/child.js'
import { makeProject, post, repoRoot, runMain, tsxLoader } from '../helpers/project.js'
import { packagesIn, recordPackages } from '../helpers/record-packages.js'

let project: Awaited<ReturnType<typeof makeProject>>

beforeAll(async () => {
  project = await makeProject({ 'content/hello.md': post('Hello', '```python run\nprint("hello")\n```\n') })
  const update = await runMain(['update', '--engine', 'local'], { cwd: project.dir })
  expect(update.code, update.stderr).toBe(0)
})
afterAll(() => project.remove())

describe('start-up of a warm check', () => {
  it('loads neither undici, semver, Shiki nor diff', async () => {
    // The hook sees what is imported; what is required (diff, through lazy-packages) is listed from the CommonJS cache at the end.
    const script = `const { main } = await import(${JSON.stringify(`${repoRoot}src/cli/main.ts`)}); process.exitCode = await main(['check', '--frozen'])
const { createRequire } = await import('node:module')
for (const path of Object.keys(createRequire(process.cwd() + '/').cache)) {
  const name = path.match(/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//)
  if (name) console.error('required ' + name[1])
}`
    const child = spawn(process.execPath, ['--import', tsxLoader, '--import', recordPackages, '--input-type=module', '-e', script], { cwd: project.dir, stdio: ['ignore', 'pipe', 'pipe'] })
    const run = await childOutput(child)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain('1 snippet')
    const [loaded, required] = [packagesIn(run.stderr, 'loaded'), packagesIn(run.stderr, 'required')]
    // Both lists do see the pipeline's packages (unified's extend is CommonJS), so an absence below means something.
    expect(loaded).toContain('remark-parse')
    expect(required).toContain('extend')
    for (const name of ['undici', 'semver', '@shikijs/core', 'diff']) {
      expect(loaded).not.toContain(name)
      expect(required).not.toContain(name)
    }
  })

  it('the compiled package serves its browser scripts without esbuild, the same text a fresh bundle gives', async () => {
    // lib/ is compiled once for the suite (test/global-setup.ts).
    const script = `const { liveScript, copyScript } = await import(${JSON.stringify(`${repoRoot}lib/adapters/live-script.js`)}); console.log(JSON.stringify([await liveScript(), await copyScript()]))`
    const child = spawn(process.execPath, ['--import', recordPackages, '--input-type=module', '-e', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] })
    const run = await childOutput(child)
    expect(run.code, run.stderr).toBe(0)
    // The scripts bundled from src/ here and now: the text the browser tests run and bundle.test.ts measures.
    const fresh = await Promise.all([liveScriptOptions, copyScriptOptions].map(async (options) => (await build(options)).outputFiles[0]!.text))
    expect(JSON.parse(run.stdout)).toEqual(fresh)
    expect(run.stderr).not.toMatch(/^loaded esbuild$/m)
  })
})
