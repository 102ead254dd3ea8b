/**
 * The local engine against this machine's real interpreters (python3, bash,
 * sqlite3, node, gcc), checking Piston's semantics one by one.
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocalEngine } from '../../src/execution/local-engine.js'
import { EngineError } from '../../src/execution/types.js'
import type { Engine, ExecuteRequest } from '../../src/execution/types.js'

let jobsDir: string
let engine: Engine
let legacyEngine: Engine

beforeAll(async () => {
  jobsDir = await mkdtemp(path.join(tmpdir(), 'local-engine-test-'))
  engine = createLocalEngine({ tmpDir: jobsDir })
  legacyEngine = createLocalEngine({ tmpDir: jobsDir, legacy: true })
})

afterAll(async () => {
  await Promise.all([engine.close(), legacyEngine.close()])
  await rm(jobsDir, { recursive: true, force: true })
})

const py = (content: string, extra: Partial<ExecuteRequest> = {}): ExecuteRequest => ({
  language: 'python',
  version: '*',
  files: [{ name: 'main.py', content }],
  ...extra,
})
const sh = (content: string, extra: Partial<ExecuteRequest> = {}): ExecuteRequest => ({
  language: 'bash',
  version: '*',
  files: [{ name: 'main.sh', content }],
  ...extra,
})

async function rejection(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(EngineError)
  return error as EngineError
}

/**
 * Writes 100-character chunks, each only once the engine has read the
 * previous one, so each arrives alone. Node's stdio "pipes" are socketpairs:
 * TIOCOUTQ (SIOCOUTQ) there counts what the reader has not taken yet.
 */
const CHUNKED_WRITER = `import array, fcntl, os, stat, sys, termios, time
QUERY = termios.FIONREAD if stat.S_ISFIFO(os.fstat(1).st_mode) else termios.TIOCOUTQ
def unread():
    n = array.array('i', [0])
    fcntl.ioctl(1, QUERY, n)
    return n[0]
for i in range(20):
    sys.stdout.write(str(i % 10) * 100)
    sys.stdout.flush()
    while unread():
        time.sleep(0.001)
`

describe('local engine', () => {
  it('reports itself and the runtimes found here, with Piston names', async () => {
    expect(engine.info).toEqual({ kind: 'local' })
    const runtimes = await engine.runtimes()
    const python = runtimes.find((rt) => rt.language === 'python')
    expect(python?.aliases).toEqual(expect.arrayContaining(['py', 'py3', 'python3']))
    expect(runtimes.find((rt) => rt.language === 'javascript')).toMatchObject({ runtime: 'node', aliases: expect.arrayContaining(['js']) })
    expect(runtimes.find((rt) => rt.language === 'sqlite3')?.aliases).toEqual(['sqlite', 'sql'])
  })

  it('appends a newline to stdin, so a program always reads at least "\\n"', async () => {
    const read = py('import sys\nprint(repr(sys.stdin.read()))')
    expect((await engine.execute(read)).run.stdout).toBe("'\\n'\n")
    expect((await engine.execute({ ...read, stdin: 'a\nb' })).run.stdout).toBe("'a\\nb\\n'\n")
    expect((await engine.execute({ ...read, stdin: 'a\n' })).run.stdout).toBe("'a\\n'\n")
  })

  it('passes args after the entry file name', async () => {
    const result = await engine.execute(py('import sys\nprint(sys.argv)', { args: ['x', 'y z'] }))
    expect(result.run.stdout).toBe("['main.py', 'x', 'y z']\n")
  })

  it('gives shell snippets the same python3 that python snippets run (no version-manager shim)', async () => {
    const direct = await engine.execute(py('import sys\nprint(sys.executable)'))
    const viaShell = await engine.execute({
      language: 'bash',
      version: '*',
      files: [{ name: 'main.sh', content: 'command -v python3' }],
    })
    expect(viaShell.run.stdout).toBe(direct.run.stdout)
  })

  it('writes further files beside the entry file', async () => {
    const result = await engine.execute({
      language: 'py',
      version: '3.x',
      files: [
        { name: 'main.py', content: 'from util import add\nprint(add(2, 2))' },
        { name: 'util.py', content: 'def add(a, b): return a + b' },
      ],
    })
    expect(result).toMatchObject({ language: 'python', run: { stdout: '4\n', code: 0 } })
  })

  it('names unnamed files file<i>.code, as Piston does', async () => {
    const result = await engine.execute({ language: 'bash', version: '*', files: [{ content: 'echo $0' } as never] })
    expect(result.run.stdout).toBe('file0.code\n')
  })

  it('rejects a file name that escapes the job directory', async () => {
    const error = await rejection(engine.execute({ ...sh('echo hi'), files: [{ name: '../evil.sh', content: 'echo hi' }] }))
    expect(error.kind).toBe('rejected')
    expect(error.message).toContain('../evil.sh')
  })

  it('kills a program at the wall limit and keeps what it printed before', async () => {
    // bash starts in milliseconds, so "started" is out long before the limit even on a loaded machine.
    const result = await engine.execute(sh('echo started\nwhile :; do :; done', { run_timeout: 1000 }))
    expect(result.run).toMatchObject({ stdout: 'started\n', output: 'started\n', code: null, signal: 'SIGKILL', status: 'TO' })
  })

  it('kills the whole process group, so a background child cannot hold the job open', async () => {
    const result = await engine.execute(sh('(sleep 30; echo late) &\necho started\nwait', { run_timeout: 1000 }))
    expect(result.run).toMatchObject({ stdout: 'started\n', signal: 'SIGKILL' })
  })

  it('allows run_timeout only to lower the configured limit, with Piston\'s message', async () => {
    const error = await rejection(engine.execute(py('print(1)', { run_timeout: 5000 })))
    expect(error.kind).toBe('rejected')
    expect(error.message).toBe('run_timeout cannot exceed the configured limit of 3000')
    const strict = createLocalEngine({ runTimeoutMs: 1000 })
    const strictError = await rejection(strict.execute(py('print(1)', { run_timeout: 2000 })))
    expect(strictError.message).toBe('run_timeout cannot exceed the configured limit of 1000')
    const cpu = await rejection(engine.execute(py('print(1)', { run_cpu_time: 'a lot' as never })))
    expect(cpu.message).toBe('If specified, run_cpu_time must be a number')
  })

  it('drops a single chunk that crosses the output cap and kills the program', async () => {
    const result = await legacyEngine.execute(py('print("A" * 2000)'))
    expect(result.run).toEqual({ stdout: '', stderr: '', output: '', code: null, signal: 'SIGKILL' })
  })

  it('keeps output of exactly the cap', async () => {
    const result = await engine.execute(py('import sys\nsys.stdout.write("B" * 1024)'))
    expect(result.run).toMatchObject({ stdout: 'B'.repeat(1024), code: 0, signal: null, status: null })
  })

  it('cuts many small chunks mid-stream, before the chunk that crossed the cap', async () => {
    const result = await engine.execute(py(CHUNKED_WRITER))
    const kept = Array.from({ length: 10 }, (_, i) => String(i).repeat(100)).join('')
    expect(result.run).toMatchObject({ stdout: kept, output: kept, code: null, signal: 'SIGKILL', status: 'OL', message: 'stdout length exceeded' })
  })

  it('caps stderr on its own', async () => {
    const result = await engine.execute(py('import sys\nsys.stderr.write("E" * 2000)\nsys.stderr.flush()\nimport time\ntime.sleep(10)'))
    expect(result.run).toMatchObject({ stderr: '', code: null, signal: 'SIGKILL', status: 'EL', message: 'stderr length exceeded' })
  })

  it('honours outputMaxSize', async () => {
    const small = createLocalEngine({ outputMaxSize: 10 })
    expect((await small.execute(py('print("x" * 9)'))).run).toMatchObject({ stdout: 'xxxxxxxxx\n', code: 0 })
    expect((await small.execute(py('print("x" * 10)'))).run).toMatchObject({ stdout: '', signal: 'SIGKILL', status: 'OL' })
  })

  it('decodes invalid UTF-8 to U+FFFD', async () => {
    const result = await engine.execute(sh("printf 'ok \\xff\\xfe bytes\\n'"))
    expect(result.run.stdout).toBe('ok \uFFFD\uFFFD bytes\n')
  })

  it('interleaves stdout and stderr in arrival order', async () => {
    const result = await engine.execute(sh('echo out\necho err >&2\nexit 42'))
    expect(result.run).toMatchObject({ stdout: 'out\n', stderr: 'err\n', output: 'out\nerr\n', code: 42, status: 'RE', message: 'Exited with error status 42' })
  })

  it('runs sqlite3 through Piston\'s wrapper: error lines shifted by two, args in an argv table', async () => {
    const failing = await engine.execute({ language: 'sqlite3', version: '*', files: [{ name: 'main.sql', content: 'SELECT 1;\nSELECT * FROM nope;' }] })
    expect(failing.run).toMatchObject({ stdout: '1\n', stderr: 'Parse error near line 4: no such table: nope\n', code: 1 })
    const argv = await engine.execute({
      language: 'sql',
      version: '*',
      files: [{ name: 'main.sql', content: 'SELECT arg FROM argv;' }],
      args: ['a', 'b"c'],
    })
    expect(argv.run.stdout).toBe('a\nb"c\n')
  })

  it('reports newer servers\' fields by default and omits them when legacy', async () => {
    const modern = await engine.execute(py('print(1)'))
    expect(modern.run).toMatchObject({ status: null, message: null, wall_time: expect.any(Number) })
    expect(modern.elapsed_ms).toEqual(expect.any(Number))
    const legacy = await legacyEngine.execute(py('print(1)'))
    expect(Object.keys(legacy.run).sort()).toEqual(['code', 'output', 'signal', 'stderr', 'stdout'])
    expect(legacy.elapsed_ms).toEqual(expect.any(Number))
  })

  it.each([
    ['bash', 137, 'Killed\n', sh('echo before\nkill -9 $$')],
    ['python', 137, 'Killed\n', py('import os, signal\nos.kill(os.getpid(), signal.SIGKILL)')],
    ['python', 143, 'Terminated\n', py('import os, signal\nos.kill(os.getpid(), signal.SIGTERM)')],
    ['bash', 139, 'Segmentation fault\n', sh('kill -SEGV $$')],
  ])('ends a %s program that kills itself as Piston\'s run script does: exit %i and the words on stderr', async (_, code, stderr, request) => {
    for (const e of [engine, legacyEngine]) {
      const { run } = await e.execute(request)
      expect(run).toMatchObject({ code, signal: null, stderr })
      expect(run.output.endsWith(stderr)).toBe(true)
    }
    expect((await engine.execute(request)).run).toMatchObject({ status: 'RE', message: `Exited with error status ${code}` })
  })

  it('compiles C before running it', async () => {
    const result = await engine.execute({
      language: 'c',
      version: '*',
      files: [{ name: 'main.c', content: '#include <stdio.h>\nint main(int argc, char **argv) { printf("hi %s\\n", argv[1]); return 0; }' }],
      args: ['there'],
    })
    expect(result.compile).toMatchObject({ code: 0, stderr: '' })
    expect(result.run).toMatchObject({ stdout: 'hi there\n', code: 0 })
  })

  it('answers a failed compile with the compile stage in place of the run', async () => {
    const result = await engine.execute({ language: 'c', version: '*', files: [{ name: 'main.c', content: 'int main(void) { return x; }' }] })
    expect(result.compile).toMatchObject({ code: 1, status: 'RE' })
    expect(result.compile?.stderr).toMatch(/main\.c:1:\d+: error: .x. undeclared/)
    expect(result.run).toEqual(result.compile)
  })

  it('rejects an unknown language with the helpful message', async () => {
    const error = await rejection(engine.execute({ language: 'pyhton', version: '*', files: [{ name: 'a', content: '' }] }))
    expect(error.kind).toBe('rejected')
    expect(error.message).toContain('did you mean "python"?')
  })

  it('stops at once on an abort signal that fired before the call', async () => {
    await expect(engine.execute(py('print(1)'), { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('kills a running job on abort', async () => {
    const fifoDir = await mkdtemp(path.join(tmpdir(), 'local-engine-fifo-'))
    const fifo = path.join(fifoDir, 'started')
    execFileSync('mkfifo', [fifo])
    const controller = new AbortController()
    // The job tells us through the FIFO that it is running, then spins until killed.
    const job = engine.execute(py(`open(${JSON.stringify(fifo)}, "w").write("go")\nwhile True: pass`), { signal: controller.signal })
    expect(await readFile(fifo, 'utf8')).toBe('go')
    controller.abort()
    await expect(job).rejects.toMatchObject({ name: 'AbortError' })
    await rm(fifoDir, { recursive: true, force: true })
  })

  it('leaves no job directory behind', async () => {
    await Promise.all([engine.close(), legacyEngine.close()])
    expect(await readdir(jobsDir)).toEqual([])
  })
})
