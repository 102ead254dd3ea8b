/**
 * Posts and programs written to hurt the author's machine, through the real
 * CLI: escape sequences aimed at the terminal, nesting that overflows the
 * Markdown stages, and one problem repeated 200,000 times.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { eleventyConfig, runEleventy } from '../helpers/eleventy.js'
import { fence, post, runMain, useServerAndProjects } from '../helpers/project.js'

const { server: testServer, project } = useServerAndProjects()

/** What a terminal would act on: ESC and C1 controls (CSI, OSC, DCS, ST), BEL, and the bidi overrides. */
const ACTIVE = /[\x07\x1b\x80-\x9f\u202a-\u202e\u2066-\u2069]/

describe('program output on the way to a terminal, a log or a job summary', () => {
  // OSC 52 (clipboard), OSC 0 (window title), CSI (clear screen, move cursor), DCS, an 8-bit CSI and OSC, a bidi override, a bell.
  const hostile =
    '\\x1b]52;c;cHduZWQ=\\x07\\x1b]0;pwned-title\\x1b\\\\\\x1b[2J\\x1b[1;1HDCS\\x1bP1$rq\\x1b\\\\C1\\x9b31mred\\x9d0;c1-title\\x9c\\u202egnp.exe\\x07bell'

  it('reaches stderr, GitHub annotations and the job summary without escape sequences, controls made visible', async () => {
    const p = await project({
      'content/hostile.md': post(
        'Hostile',
        [
          // The first execute request gets a 400 whose message is hostile: it lands in a report's reason.
          fence('python run title="Refused"', 'print(1)'),
          fence('python run title="Mismatch"', `print("${hostile}")`),
          fence('text output', 'calm'),
          fence('python run title="Fails"', `import sys\nsys.stderr.write("${hostile}\\n")\nsys.exit(1)`),
        ].join('\n'),
      ),
    })
    const summary = join(p.dir, 'summary.md')
    // The first request is GET /runtimes; the 400 goes to the first execute (one job at a time, in order).
    testServer().inject({ type: 'delay', ms: 0 }, { type: 'status', status: 400, body: JSON.stringify({ message: 'no \x1b]52;c;cHduZWQ=\x07such \x1b[31mruntime\u202e' }) })
    const run = await runMain(['check', '--concurrency', '1'], {
      cwd: p.dir,
      env: { PISTON_URL: testServer().url, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    })
    expect(testServer().clearFaults()).toEqual([])
    const written = await readFile(summary, 'utf8')
    expect(run.code).toBe(1)
    // The program's output did reach each channel, as text.
    expect(run.stderr).toContain('red\\u202egnp.exe\\x07bell')
    expect(run.stderr).toContain('could not run: no such runtime\\u202e')
    expect(run.stdout).toMatch(/^::error .*title=output-mismatch::.*DCSC1red\\u202egnp\.exe\\x07bell/m)
    // A report's excerpt of stderr is plain text already (src/render/ansi.ts); the bidi override still shows.
    expect(run.stdout).toMatch(/^::error .*title=snippet-failed::.*<U\+202E>gnp\.exe/m)
    expect(written).toContain('could not run: no such runtime\\u202e')
    for (const text of [run.stderr, run.stdout, written]) {
      expect(text).not.toMatch(ACTIVE)
      // Whole sequences are gone, payloads included.
      expect(text).not.toMatch(/pwned|cHduZWQ|\[2J|\$rq/)
    }
  })
})

describe('nesting the Markdown stages cannot take', { timeout: 60_000 }, () => {
  const quotes = `${'>'.repeat(2000)} deep\n`
  const list = (levels: number) => Array.from({ length: levels }, (_, i) => `${'  '.repeat(i)}- level ${i + 1}`).join('\n') + '\n'

  // In Eleventy the page text is the site's markdown-it's (which caps nesting itself): such pages render as
  // they would without the plugin. `check`, which parses with remark, reports them (test/markdown/pathological.test.ts).
  it('leaves them to the site\'s markdown-it in Eleventy: every page is written, the blocks too', async () => {
    const p = await project({
      'content/quotes.md': post('Quotes', quotes),
      'content/list-1000.md': post('List', list(1000)),
      'content/list-3000.md': post('Longer list', list(3000)),
      'content/fine.md': post('Fine', `${'> '.repeat(20)}quoted\n\n${list(30)}\n${fence('python run', 'print(42)')}`),
      ...eleventyConfig(),
    })
    const run = await runEleventy(p.dir, [], { PISTON_URL: testServer().url })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).not.toMatch(/RangeError|at .*\(/)
    expect(await readFile(join(p.dir, 'dist/fine/index.html'), 'utf8')).toContain('42')
    expect(await readFile(join(p.dir, 'dist/quotes/index.html'), 'utf8')).toContain('<blockquote>')
    for (const page of ['list-1000', 'list-3000']) expect(await readFile(join(p.dir, `dist/${page}/index.html`), 'utf8')).toContain('<li>level 1')
  })
})

describe('one problem repeated in a fence', () => {
  it('is listed ten times, then counted', async () => {
    const tokens = Array.from({ length: 200_000 }, (_, i) => `typo${i}`).join(' ')
    const p = await project({ 'content/typos.md': post('Typos', fence(`python run ${tokens}`, 'print(1)')) })
    const run = await runMain(['check'], { cwd: p.dir, env: { PISTON_URL: testServer().url } })
    expect(run.code).toBe(0)
    const warnings = run.stderr.split('\n').filter((l) => l.includes(' warning  '))
    expect(warnings).toHaveLength(11)
    expect(warnings[0]).toBe('content/typos.md:6:15: warning  unknown option "typo0"  [unknown-option]')
    expect(warnings[10]).toMatch(/^content\/typos\.md:6:\d+: warning {2}and 199,990 more unknown-option problems in this fence, not listed {2}\[unknown-option\]$/)
  })
})
