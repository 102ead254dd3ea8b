/**
 * Posts and programs written to hurt the author's machine, through the real
 * CLI: escape sequences aimed at the terminal, nesting that overflows the
 * Markdown stages, and one problem repeated 200,000 times.
 */
import { access, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
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
    expect(run.stdout).toMatch(/^::error .*title=snippet-failed::.*\\u202egnp\.exe/m)
    expect(written).toContain('could not run: no such runtime\\u202e')
    for (const text of [run.stderr, run.stdout, written]) {
      expect(text).not.toMatch(ACTIVE)
      // Whole sequences are gone, payloads included.
      expect(text).not.toMatch(/pwned|cHduZWQ|\[2J|\$rq/)
    }
  })
})
