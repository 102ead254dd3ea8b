import { access, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { eleventyConfig, runEleventy } from '../helpers/eleventy.js'
import { fence, post, runMain, useServerAndProjects } from '../helpers/project.js'

const { server: testServer, project } = useServerAndProjects()

async function check(files: Record<string, string>, args: string[] = ['check'], env: NodeJS.ProcessEnv = {}) {
  const p = await project(files)
  const run = await runMain(args, { cwd: p.dir, env: { PISTON_URL: testServer().url, ...env } })
  const errors = run.stderr.split('\n').filter((l) => / (error|warning) {2}/.test(l))
  return { ...run, errors, dir: p.dir, project: p }
}

/** Joins blocks with blank lines; front matter is 4 lines plus a blank, so the body starts on line 6. */
const body = (...blocks: string[]) => blocks.join('\n')

describe('expectations', () => {
  it('passes each declared ending when it happens', async () => {
    const run = await check({
      'content/ok.md': post(
        'Ok',
        body(
          fence('python run exit=3', 'raise SystemExit(3)'),
          fence('bash run exit=nonzero', 'exit 7'),
          fence('bash run exit=any', 'exit 0'),
          fence('python run expect=failure', 'raise ValueError("x")'),
          fence('python run timeout=300 expect=timeout', 'import time\ntime.sleep(2)'),
          fence('python run expect=output-limit', 'print("A" * 2000)'),
          fence('c run expect=compile-error', 'int main( { return 0; }'),
          fence('python run', 'print("b\\na")'),
          fence('text output match=unordered', 'a\nb'),
          fence('python run', 'print("the answer is 42")'),
          fence('text output match=contains', 'answer is'),
          fence('python run', 'print("took 12 ms")'),
          fence('text output match=regex', '^took \\d+ ms$'),
          fence('python run', 'print("trailing   ")\nprint()'),
          fence('text output', 'trailing'),
          fence('python skip', 'this is not python'),
        ),
      ),
    })
    expect(run.errors).toEqual([])
    expect(run.stderr).toContain('12 snippets: 11 passed, 0 failed, 1 skipped; 11 programs: 0 cached, 11 ran')
    expect(run.code).toBe(0)
  })

  it('fails each expectation that does not hold, all in one run, with exact reports', async () => {
    const run = await check({
      'content/bad.md': post(
        'Bad',
        body(
          fence('python run exit=3', 'print("fine")'), // line 6
          fence('bash run exit=nonzero', 'true'), // 10
          fence('python run expect=timeout', 'print(1)'), // 14
          fence('python run title="Squares"', 'print(1)\nprint(4)\nprint(10)'), // 18
          fence('text output', '1\n4\n9'), // 24: a mismatch is reported at the expectation
          fence('bash run', 'echo x'), // 30
          fence('text output match=regex', '['), // 34
        ),
      ),
    })
    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      'content/bad.md:6:1: error  python snippet exited with code 0 (expected exit code 3)  [snippet-failed]',
      'content/bad.md:10:1: error  bash snippet exited with code 0 (expected a non-zero exit code)  [snippet-failed]',
      'content/bad.md:14:1: error  python snippet exited with code 0 (expected a timeout)  [snippet-failed]',
      'content/bad.md:24:1: error  python snippet "Squares": stdout does not match the output fence (match=exact)  [output-mismatch]',
      'content/bad.md:34:1: error  the output fence is not a valid regex: Invalid regular expression: /[/m: Unterminated character class  [invalid-option]',
    ])
    expect(run.stderr).toContain(['    --- expected', '    +++ actual', '    @@ -1,3 +1,3 @@', '     1', '     4', '    -9', '    +10'].join('\n'))
    expect(run.stderr).toContain('5 snippets: 0 passed, 5 failed, 0 skipped; 5 programs: 0 cached, 5 ran (5 errors, 1 note)')
  })
})

describe('no expectation is dropped silently', () => {
  it('takes ```output as an output fence, warns on one that only looks like it, and checks output after a stdin fence', async () => {
    const run = await check({
      'content/out.md': post(
        'Out',
        body(
          fence('python run', 'print(1)'), // line 6
          fence('output', '2'), // 10: a mismatch
          fence('python run', 'print(3)'), // 14
          fence('text', '4'), // 18: looks like an expected output
          fence('python run', 'print(input())'), // 22
          fence('text stdin', 'five'), // 26
          fence('output', 'six'), // 30: after the stdin fence, still checked
          fence('python run', 'print(7)'), // 34
          fence('js', 'console.log("not output")'), // 38: a language of its own: no warning
        ),
      ),
    })
    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      'content/out.md:10:1: error  python snippet: stdout does not match the output fence (match=exact)  [output-mismatch]',
      'content/out.md:18:1: warning  this fence (```text) right after a run fence looks like its expected output but is not checked; write ```text output (or ```output) to compare stdout with it  [unchecked-output]',
      'content/out.md:30:1: error  python snippet: stdout does not match the output fence (match=exact)  [output-mismatch]',
    ])
  })

  it('reports invalid options on fences that do not run', async () => {
    const run = await check({ 'content/x.md': post('X', fence('python file=../../x', 'x = 1')) })
    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      'content/x.md:6:11: error  file must be a plain file name such as main.py, got "../../x": it contains ".."  [invalid-option]',
    ])
  })

  it('runs no fence with an error in its meta, and says why on the page', async () => {
    const p = await project({
      ...eleventyConfig(),
      'content/bad.md': post(
        'Bad',
        body(
          fence('python run timeout=abc', 'print("never")'), // line 6
          fence('python run title="Unterminated', 'print("never")'), // 10
          fence('python run', 'print("runs")'), // 14
        ),
      ),
    })
    const before = testServer().executions
    const run = await runEleventy(p.dir, [], { PISTON_URL: testServer().url })
    expect(run.code).toBe(1)
    expect(testServer().executions - before).toBe(1)
    const html = await readFile(join(p.dir, 'dist/bad/index.html'), 'utf8')
    expect(html).toContain('not run: timeout must be a positive whole number of milliseconds, got "abc"')
    expect(html).toContain('not run: unterminated " quote in the value of title')
    expect(html).not.toContain('never\n</pre>')
    expect(run.stderr).toContain('3 snippets: 1 passed, 2 failed, 0 skipped; 1 program: 0 cached, 1 ran')
  })

  it('accepts any ending with expect=any, and says so when exit=any meets a kill', async () => {
    const run = await check({
      'content/any.md': post(
        'Any',
        body(
          fence('python run expect=any', 'print("A" * 2000)'), // line 6
          fence('python run exit=any', 'print("A" * 2000)'), // 10
        ),
      ),
    })
    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(
      /^content\/any\.md:10:1: error  python snippet was killed.* \(expected any exit code, but a killed run has none: expect=any \(or expect=output-limit\) accepts it\)  \[snippet-failed\]$/,
    )
  })
})

describe('line mapping', () => {
  const lines = {
    'content/lines.md': post(
      'Lines',
      body(
        fence('python run', 'x = 1\ny = 0\nprint(x / y)'), // fence on line 6: code line 3 is line 9
        fence('bash run', 'echo ok\nif then\necho never'), // fence 12: code line 2 is line 14
        fence('sql run', 'SELECT 1;\nSELECT * FROM nope;'), // fence 18 → 20 (past Piston's wrapper lines)
        fence('javascript run', 'console.log("a")\nthrow new Error("boom")'), // fence 23 → 25
        fence('sql id=setup hidden', 'CREATE TABLE t (x);\nINSERT INTO t VALUES (1);'), // 28
        fence('sql run prepend=setup', 'SELECT x FROM t;\nSELECT y FROM t;'), // fence 33 → 35 (past the prepended lines)
        fence('c run', '#include <stdio.h>\nint main(void) {\n    printf("hi\\n")\n    return 0;\n}'), // fence 38 → 41
        fence('cpp run', '#include <iostream>\nint main() {\n    std::cout << "hi"\n    return 0;\n}'), // fence 46 → 49
        fence('python run', 'print("partial")\nraise ValueError("late")'), // fence 54 → 56
        fence('text output', 'complete'), // 59: the diff, and the traceback above it
      ),
    ),
  }

  it.each([
    ['through the Piston client', []],
    ['on the local engine', ['--engine', 'local']],
  ])('points at the line (and the column, where the tool names one) the interpreter or compiler names, inside the Markdown file, %s', async (_, flags) => {
    const run = await check(lines, ['check', ...flags])
    expect(run.errors.map((l) => l.split(': error')[0])).toEqual([
      'content/lines.md:9:7',
      'content/lines.md:14:1',
      'content/lines.md:20:1',
      'content/lines.md:25:7',
      'content/lines.md:35:1',
      'content/lines.md:41:19',
      'content/lines.md:49:22',
      'content/lines.md:56:1',
      'content/lines.md:59:1',
    ])
    expect(run.stderr).toContain('    ZeroDivisionError: division by zero')
    expect(run.stderr).toContain('no such column: y')
    // JavaScript: the failing line and the error, not Node's last frames.
    expect(run.stderr).toContain(['    main.js:2', '    throw new Error("boom")', '    ^', '    ', '    Error: boom'].join('\n'))
    expect(run.stderr).not.toContain('Node.js v')
    // The compiler's error, named by the line.
    expect(run.stderr).toMatch(/\n {4}main\.c:3:19: error: expected .;. before .return./)
    expect(run.stderr).toMatch(/\n {4}main\.cpp:3:22: error: expected .;. before .return./)
    // A failing snippet with an output fence: its traceback and the diff.
    expect(run.stderr).toContain('    ValueError: late')
    expect(run.stderr).toContain(['    -complete', '    +partial'].join('\n'))
    // The job's folder is not part of what the program said.
    expect(run.stderr).toContain('File "main.py", line 3, in <module>')
    expect(run.stderr).not.toMatch(/piston\/jobs|runnable-blog-job/)
  })
})

describe('modes for CI', () => {
  const files = { 'content/a.md': post('A', body(fence('python run', 'print("a")'), fence('bash run', 'echo b'))) }

  it('check runs and reports, writing nothing: no dist/, no cache entry', async () => {
    const run = await check(files)
    expect(run.code).toBe(0)
    await expect(access(join(run.dir, 'dist'))).rejects.toThrow()
    await expect(access(join(run.dir, 'cache'))).rejects.toThrow()
    expect((await runMain(['check', '--prune'], { cwd: run.dir })).code).toBe(2)
  })

  it('says so, as a usage error, when there is no content folder; with the project as content, skips node_modules', async () => {
    const p = await project({ 'posts/a.md': post('A', fence('bash run', 'echo a')), 'node_modules/dep/README.md': fence('bash run', 'exit 9') })
    const missing = await runMain(['check', '--engine', 'local'], { cwd: p.dir })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('no content folder "content" here: name the folder of your posts with --content DIR or "content" in runnable-blog.config.json')
    const whole = await runMain(['check', '--engine', 'local', '--content', '.'], { cwd: p.dir })
    expect(whole.code, whole.stderr).toBe(0)
    expect(whole.stderr).toContain('1 snippet: 1 passed')
  })

  it('--verbose names each snippet that ran; the summary counts fences and programs apart', async () => {
    const same = fence('python run', 'print("same")')
    const p = await project({ 'content/a.md': post('A', body(same, same, fence('bash run title="Shell"', 'echo b'), fence('python run', 'print(1/0)'))) })
    const env = { PISTON_URL: testServer().url }
    const run = await runMain(['update', '--verbose'], { cwd: p.dir, env })
    expect(run.code).toBe(1)
    expect(run.stderr.split('\n').filter((l) => l.includes(': ran  '))).toEqual([
      'content/a.md:6:1: ran  python snippet',
      'content/a.md:10:1: ran  python snippet',
      'content/a.md:14:1: ran  bash snippet "Shell"',
      'content/a.md:18:1: ran  python snippet',
    ])
    // Four fences, three programs; the failed one ran too.
    expect(run.stderr).toContain('4 snippets: 3 passed, 1 failed, 0 skipped; 3 programs: 0 cached, 3 ran (1 error)')
    const again = await runMain(['check', '-v'], { cwd: p.dir, env })
    expect(again.stderr).not.toContain(': ran  ')
    expect(again.stderr).toContain('3 programs: 3 cached, 0 ran')
  })

  it('--frozen passes with a complete cache and names each missing result otherwise, contacting no engine', async () => {
    const first = await check(files, ['update'])
    expect(first.code).toBe(0)
    const requests = testServer().requests.length
    const frozen = await runMain(['check', '--frozen'], { cwd: first.dir, env: { PISTON_URL: testServer().url } })
    expect(frozen.code).toBe(0)
    expect(frozen.stderr).toContain('2 snippets: 2 passed, 0 failed, 0 skipped; 2 programs: 2 cached, 0 ran')

    await first.project.write('content/a.md', post('A', body(fence('python run', 'print("a!")'), fence('bash run', 'echo b'), fence('sql run', 'SELECT 2;'))))
    const missing = await runMain(['check', '--frozen'], { cwd: first.dir, env: { PISTON_URL: testServer().url } })
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('content/a.md:6:1: error  python snippet could not run: no result in the committed cache (a frozen build never runs snippets)  [missing-result]')
    expect(missing.stderr).toContain('content/a.md:14:1: error  sql snippet could not run: no result in the committed cache')
    // The two programs it has no result for count as such, not as none.
    expect(missing.stderr).toContain('3 snippets: 1 passed, 2 failed, 0 skipped; 3 programs: 1 cached, 0 ran, 2 missing (2 errors)')
    expect(testServer().requests.length).toBe(requests)
  })

  it('under GitHub Actions, prints annotations and writes a job summary', async () => {
    const p = await project({
      'content/a.md': post('A', body(fence('python run title="Div, by: zero"', 'print(1/0)'), fence('bash run', 'echo fine'))),
    })
    const summary = join(p.dir, 'summary.md')
    const run = await runMain(['check'], { cwd: p.dir, env: { PISTON_URL: testServer().url, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } })
    expect(run.code).toBe(1)
    const annotation = run.stdout.split('\n').find((l) => l.startsWith('::error '))
    expect(annotation).toMatch(
      /^::error file=content\/a\.md,line=7,col=7,title=snippet-failed::python snippet "Div, by: zero" exited with code 1 \(expected exit code 0\)%0A.*ZeroDivisionError: division by zero$/,
    )
    const markdown = await readFile(summary, 'utf8')
    expect(markdown).toContain('| ❌ `content/a.md` | 2 | 1 | 1 | 0 | 2 | 0 | 2 |')
    expect(markdown).toContain('- `content/a.md:7:7` python snippet "Div, by: zero" exited with code 1 (expected exit code 0)')
  })
})
