/**
 * Issue 11's "done when": one post with every case builds with the same
 * report (file:line:col, words, exit code) on the local engine and through
 * the Piston client against the test server, which answers in Piston
 * 3.1.1's shapes (no status) and here replays a real gcc answer too.
 */
import { describe, expect, it } from 'vitest'
import gcc from '../check/fixtures/piston-3.1.1-gcc.json' with { type: 'json' }
import { fence, post, runMain, useServerAndProjects } from '../helpers/project.js'

const { server: testServer, project } = useServerAndProjects()

const cCode = gcc['c-compile-error'].request.files[0]!.content
const cases = [
  fence('c run', cCode), // line 6, error on code line 3 → 9; replayed from Piston 3.1.1 (main.c.c, chmod)
  fence('python run', 'x = 1\ny = 0\nprint(x / y)'), // 14 → 17
  fence('bash run', 'echo ok\nif then\necho never'), // 20 → 22
  fence('sql run', 'SELECT 1;\nSELECT * FROM nope;'), // 26 → 28
  fence('javascript run', 'console.log("a")\nthrow new Error("boom")'), // 31 → 33
  fence('cpp run', '#include <iostream>\nint main() {\n    std::cout << "hi"\n    return 0;\n}'), // 36 → 39
  fence('python run title="Self-kill"', 'import os, signal\nos.kill(os.getpid(), signal.SIGKILL)'), // 44
  fence('bash run exit=137', 'kill -9 $$'), // 49: as declared
  fence('python run exit=any', 'print("A" * 2000)'), // 53
  fence('python run expect=any', 'print("A" * 2000)'), // 57: as declared
  fence('python run', 'print("b")'), // 61
  fence('output', 'a'), // 65
  fence('python run', 'print("c")'), // 69
  fence('text', 'c'), // 73: unchecked
  fence('python run timeout=abc', 'print("never")'), // 77
  fence('python file=../x', 'x = 1'), // 81
].join('\n')

/** The known cause, and Piston 3.1.1's hedge for the same kill: the only words allowed to differ. */
const CAP = /killed: (stdout exceeded|the output most likely exceeded) the server's limit of 1024 characters( \(the server does not say why\))?/

async function report(flags: string[], replay: boolean) {
  const p = await project({ 'content/all.md': post('All', cases) })
  // GET /runtimes first (a fault that changes nothing), then the C job gets the recorded answer.
  if (replay) testServer().inject({ type: 'delay', ms: 0 }, { type: 'answer', body: gcc['c-compile-error'].response })
  // One job at a time, so that the replayed answer meets the C job, the first.
  const run = await runMain(['check', ...(replay ? ['--concurrency', '1'] : []), ...flags], { cwd: p.dir, env: { PISTON_URL: testServer().url } })
  const lines = run.stderr.split('\n')
  return {
    code: run.code,
    stderr: run.stderr,
    // Notes (confirmed "no output" answers) come only from a server without status.
    problems: lines.filter((l) => / (error|warning) {2}/.test(l)).map((l) => l.replace(CAP, 'killed: <cap>')),
    caps: lines.filter((l) => CAP.test(l)).map((l) => CAP.exec(l)![0]),
  }
}

describe('one post with every case', () => {
  it('reports the same on the local engine and through Piston 3.1.1 answers', async () => {
    const local = await report(['--engine', 'local'], false)
    const piston = await report([], true)
    expect(piston.problems).toEqual(local.problems)
    expect(piston.code).toBe(local.code)
    expect(local.code).toBe(1)
    expect(local.problems).toEqual([
      'content/all.md:9:19: error  c snippet failed to compile with exit code 1 (expected exit code 0)  [snippet-failed]',
      'content/all.md:17:7: error  python snippet exited with code 1 (expected exit code 0)  [snippet-failed]',
      'content/all.md:22:1: error  bash snippet exited with code 2 (expected exit code 0)  [snippet-failed]',
      'content/all.md:28:1: error  sql snippet exited with code 1 (expected exit code 0)  [snippet-failed]',
      'content/all.md:33:7: error  javascript snippet exited with code 1 (expected exit code 0)  [snippet-failed]',
      'content/all.md:39:22: error  cpp snippet failed to compile with exit code 1 (expected exit code 0)  [snippet-failed]',
      'content/all.md:44:1: error  python snippet "Self-kill" exited with code 137 (expected exit code 0)  [snippet-failed]',
      'content/all.md:53:1: error  python snippet was killed: <cap> (expected any exit code, but a killed run has none: expect=any (or expect=output-limit) accepts it)  [snippet-failed]',
      'content/all.md:65:1: error  python snippet: stdout does not match the output fence (match=exact)  [output-mismatch]',
      'content/all.md:73:1: warning  this fence (```text) right after a run fence looks like its expected output but is not checked; write ```text output (or ```output) to compare stdout with it  [unchecked-output]',
      'content/all.md:77:15: error  timeout must be a positive whole number of milliseconds, got "abc"  [invalid-option]',
      'content/all.md:81:11: error  file must be a plain file name such as main.py, got "../x": it contains ".."  [invalid-option]',
    ])
    // Each engine as honest as it can be about the cap.
    expect(local.caps).toEqual(["killed: stdout exceeded the server's limit of 1024 characters"])
    expect(piston.caps).toEqual(["killed: the output most likely exceeded the server's limit of 1024 characters (the server does not say why)"])
    // The error itself on both: the compiler's first error (Piston names the file main.c.c), Node's error line, "Killed".
    expect(piston.stderr).toMatch(/\n {4}main\.c\.c:3:19: error: expected ';' before 'return'\n/)
    expect(piston.stderr).not.toContain('chmod')
    expect(local.stderr).toMatch(/\n {4}main\.c:3:19: error: expected .;. before .return.\n/)
    for (const { stderr } of [local, piston]) {
      expect(stderr).toContain('    Error: boom')
      expect(stderr).toContain('    ZeroDivisionError: division by zero')
      expect(stderr).toMatch(/exited with code 137 \(expected exit code 0\) {2}\[snippet-failed\]\n {4}Killed\n/)
    }
  })
})
