/**
 * Program output that a CI runner would obey: GitHub Actions reads
 * `::command::` at the start of a log line (after white space) and the legacy
 * `##[command]` anywhere in one. Through the real CLI under GITHUB_ACTIONS,
 * every channel (stderr report, `-v`, annotations, job summary) must carry
 * such output as text only.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { fence, makeProject, post, runMain } from '../helpers/project.js'

/** A line the runner would act on: a command after leading white space, or the legacy form anywhere. */
const isCommand = (line: string) => /^\s*::/.test(line) || line.includes('##[')
/** Our own annotations, the only commands the report may print. */
const OURS = /^::(error|warning|notice) file=content\/forge\.md,line=\d+,col=\d+,title=[\w-]+::/

describe('program output that looks like a workflow command', () => {
  let remove = async () => {}
  afterEach(() => remove())

  it('reaches every channel as text: no mask, no forged annotation, no stop-commands, no legacy command; a 64 KB line is cut', async () => {
    const forged = ['::add-mask::x', '  ::warning file=README.md,line=1::forged', '\t::stop-commands::tok', 'note ##[error]legacy', '\u00a0::tok::']
    const p = await makeProject({
      'content/forge.md': post(
        'Forge',
        [
          fence('python run title="Forger"', `import sys\nsys.stderr.write(${JSON.stringify(forged.join('\n') + '\n')})\nsys.exit(1)`),
          fence('python run title="Long"', 'import sys\nsys.stderr.write("B" * 65536 + "\\n")\nsys.exit(1)'),
          // A title with an escape sequence (OSC 0, retitling the terminal) and a command, printed by -v.
          fence('python run title="\x1b]0;pwned\x07T ##[group]g"', 'print(1)'),
        ].join('\n'),
      ),
      'runnable-blog.config.json': JSON.stringify({ limits: { outputMaxSize: 100_000 } }),
    })
    remove = p.remove
    const summary = join(p.dir, 'summary.md')
    // The local engine: it takes the project's output limit (a Piston server keeps its own).
    const run = await runMain(['check', '-v', '--engine', 'local'], { cwd: p.dir, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } })
    expect(run.code).toBe(1)
    const written = await readFile(summary, 'utf8')

    // The output did reach the report, shown escaped.
    expect(run.stderr).toContain('    \\x3a:add-mask::x')
    expect(run.stderr).toContain('      \\x3a:warning file=README.md,line=1::forged')
    expect(run.stderr).toContain('note \\x23#[error]legacy')
    expect(run.stderr).toContain('ran  python snippet "T \\x23#[group]g"')
    expect(run.stderr).not.toContain('pwned')

    const commands = [...run.stdout.split('\n'), ...run.stderr.split('\n'), ...written.split('\n')].filter(isCommand)
    expect(commands.length).toBeGreaterThanOrEqual(2)
    for (const line of commands) expect(line).toMatch(OURS)
    for (const line of commands) expect(line).not.toContain('##[')

    // The 64 KB line is quoted by its start, and says it was cut.
    for (const text of [run.stdout, run.stderr]) {
      expect(text).not.toContain('B'.repeat(1001))
      expect(text).toMatch(/B{990} … \(64,5\d\d more characters cut\)/)
    }
  })
})
