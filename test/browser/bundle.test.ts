/**
 * The live runner's bundle: type-checked with its DOM-only tsconfig, made of
 * the client and the shared rendering files only, free of HTML sinks, and
 * within its size budget.
 */
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { relative } from 'node:path'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { liveScript, liveScriptOptions } from '../../src/adapters/live-script.js'
import { repoRoot } from '../helpers/project.js'

/**
 * Bytes, gzipped: 4051 now. Issue 15 made the script survive a hostile
 * endpoint (+255: the answer read as a stream under a size cap, rendered
 * streams clipped to the output limit, stages checked before they are
 * described, a Retry-After of eons said as "later"); issue 11 made it say
 * what the build says (+168: the job-folder rule, a notice for an
 * unconfirmed "no output" answer, the cap's hedged words, a CORS-true
 * "could not reach"). 3638 before both (4010, then 3882, before the build started
 * handing the browser what it knows: the hidden setup's length and each
 * block's name; 3590 before live runs were judged against the fence's
 * declared outcome). Issue 4 asks for 3 KB, which is out of reach without
 * dropping behaviour: the shared rendering rules (ANSI parsing, outcome
 * words, view model) alone take about 2.2 KB gzipped, and the client's
 * DOM calls and words about 1.4 KB. Splitting the rules into a second file
 * loaded on the first Run was tried: the page's script drops to about
 * 1.65 KB, but the two files total about 3.9 KB, so it only moves the cost.
 * The ceiling is 4 KB, the budget for all of a reader's JavaScript together
 * (issue 13), which the copy button still has to fit into.
 */
const BUDGET = 4096

describe('the live runner script', () => {
  it('type-checks against the DOM, without Node types (src/client/tsconfig.json)', async () => {
    const tsc = promisify(execFile)(`${repoRoot}node_modules/.bin/tsc`, ['-p', 'src/client/tsconfig.json'], { cwd: repoRoot })
    await expect(tsc.then(() => 'ok', (error: { stdout?: string }) => error.stdout)).resolves.toBe('ok')
  }, 60_000)

  it('bundles only the client and the shared rendering and judging files', async () => {
    const result = await build({ ...liveScriptOptions, metafile: true })
    const inputs = Object.keys(result.metafile.inputs).map((path) => relative(repoRoot, path)).sort()
    expect(inputs).toEqual(['src/check/expectations.ts', 'src/client/live.ts', 'src/render/ansi.ts', 'src/render/job-dir.ts', 'src/render/outcome.ts', 'src/render/view.ts'])
  })

  it('never turns text into markup or code', async () => {
    for (const code of [await liveScript(), await readFile(liveScriptOptions.entryPoints[0]!, 'utf8')]) {
      expect(code).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\b|new Function|\.style\b/)
    }
  })

  it(`stays within ${BUDGET} bytes gzipped`, async () => {
    const size = gzipSync(await liveScript()).length
    console.log(`live runner: ${size} bytes gzipped`)
    expect(size).toBeLessThanOrEqual(BUDGET)
  })
})
