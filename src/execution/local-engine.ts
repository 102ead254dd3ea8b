/**
 * An engine that runs jobs with this machine's interpreters, reproducing
 * what a Piston server answers (limits, messages, output cap, stdin newline,
 * sqlite3 wrapper) so that results read the same as the real thing.
 *
 * It is NOT a sandbox: snippets run as the current user, with this user's
 * files, network and processes within reach. Use it only for code you trust
 * (your own posts, tests), never for code from visitors.
 */
import { execFile, spawn } from 'node:child_process'
import { constants as osConstants, tmpdir } from 'node:os'
import { randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { StringDecoder } from 'node:string_decoder'
import { promisify } from 'node:util'
import semver from 'semver'
import { replaceJobDir } from './job-dir.js'
import { JOB_MARKER, killJobProcesses, lastPid } from './job-processes.js'
import { JOB_DIR_PREFIX, type JobReaper, removeStaleJobDirs, startJobReaper } from './job-reaper.js'
import { resolveRuntime } from './runtimes.js'
import { EngineError } from './types.js'
import type { Engine, ExecuteRequest, ExecuteResponse, JobFile, Runtime, Stage, StageStatus } from './types.js'

export interface LocalEngineOptions {
  /** Server-side wall limit of the run stage in ms; requests may only lower it. Default 3000 (Piston's). */
  runTimeoutMs?: number
  /** Server-side wall limit of the compile stage in ms. Default 10000 (Piston's). */
  compileTimeoutMs?: number
  /** Characters kept per stream before the program is killed. Default 1024 (Piston's). */
  outputMaxSize?: number
  /** Omit `status`, `message` and `wall_time` as Piston 3.1.1 does. Default false. */
  legacy?: boolean
  /** Parent of the per-job directories. Default `os.tmpdir()`. */
  tmpDir?: string
}

interface Command {
  command: string
  args: string[]
}

/** A detected runtime and how to compile and run a job with it. */
interface Launcher {
  runtime: Runtime
  /** Source files (utf8 files, entry first) to a compile command, for compiled languages. */
  compile?: (files: string[]) => Command
  run: (entry: string, args: string[]) => Command
  /** Folder of the real interpreter, put first on jobs' PATH so that shell snippets skip version-manager shims too. */
  bin?: string
}

// Piston's packages/sqlite3 `run` script (MIT), same behaviour: the `argv`
// table's lines before the user's code shift sqlite3's error lines by two
// (plus one per arg), as on the real server ("near line 4" = snippet line 2).
const SQLITE3_RUN = `code=\`cat "$1"\`
shift
argv_text=""
for arg in "$@"
do
    argv_text+='insert into argv (arg) values ("'"\`echo "$arg" | sed 's/"/""/g'\`"'");
'
done
sqlite3 <<< "create table argv (arg text); 
$argv_text
$code"
`

const execFileAsync = promisify(execFile)

/** Lines of a probe's stdout, or undefined when the tool is missing. */
async function probe(command: string, args: string[]): Promise<string[] | undefined> {
  try {
    const { stdout } = await execFileAsync(command, args, { timeout: 10_000 })
    return stdout.trim().split('\n')
  } catch {
    return undefined
  }
}

function version(text: string | undefined): string | undefined {
  return text === undefined ? undefined : (semver.coerce(text)?.version ?? undefined)
}

/** C-family compile: headers are not translation units; `-x` lets any name be a source. */
function gccFamily(compiler: string, std: string, lang: string, libs: string[]) {
  return (files: string[]): Command => ({
    command: compiler,
    args: [`-std=${std}`, '-o', 'a.out', '-x', lang, ...files.filter((f) => !/\.(h|hh|hpp)$/.test(f)), ...libs],
  })
}
const runAOut = (_entry: string, args: string[]): Command => ({ command: './a.out', args })

const PROBES: Array<() => Promise<Launcher | undefined>> = [
  async () => {
    // The real executable: a pyenv-style shim costs ~250 ms per start.
    const lines = await probe('python3', ['-c', 'import platform,sys;print(platform.python_version());print(sys.executable)'])
    const v = version(lines?.[0])
    const exe = lines?.[1]
    if (v === undefined || !exe) return undefined
    return {
      runtime: { language: 'python', version: v, aliases: ['py', 'py3', 'python3', `python3.${semver.minor(v)}`] },
      run: (entry, args) => ({ command: exe, args: [entry, ...args] }),
      bin: path.dirname(exe),
    }
  },
  async () => {
    const v = version((await probe('bash', ['--version']))?.[0])
    if (v === undefined) return undefined
    return {
      runtime: { language: 'bash', version: v, aliases: ['sh'] },
      run: (entry, args) => ({ command: 'bash', args: [entry, ...args] }),
    }
  },
  async () => {
    const v = version((await probe('sqlite3', ['--version']))?.[0])
    if (v === undefined) return undefined
    return {
      runtime: { language: 'sqlite3', version: v, aliases: ['sqlite', 'sql'] },
      run: (entry, args) => ({ command: 'bash', args: ['-c', SQLITE3_RUN, 'run', entry, ...args] }),
    }
  },
  async () => {
    const v = version((await probe('node', ['--version']))?.[0])
    if (v === undefined) return undefined
    return {
      runtime: { language: 'javascript', version: v, aliases: ['node-javascript', 'node-js', 'javascript', 'js'], runtime: 'node' },
      run: (entry, args) => ({ command: 'node', args: [entry, ...args] }),
    }
  },
  async () => {
    const v = version((await probe('gcc', ['-dumpfullversion']))?.[0])
    if (v === undefined) return undefined
    return { runtime: { language: 'c', version: v, aliases: ['gcc'] }, compile: gccFamily('gcc', 'c11', 'c', ['-lm']), run: runAOut }
  },
  async () => {
    const v = version((await probe('g++', ['-dumpfullversion']))?.[0])
    if (v === undefined) return undefined
    return { runtime: { language: 'c++', version: v, aliases: ['cpp', 'g++'] }, compile: gccFamily('g++', 'c++17', 'c++', []), run: runAOut }
  },
]

let detected: Promise<Launcher[]> | undefined

function jobPath(launchers: Launcher[]): string {
  const bins = launchers.flatMap((l) => (l.bin ? [l.bin] : []))
  return [...new Set([...bins, process.env.PATH ?? ''])].join(path.delimiter)
}

/** Installed runtimes, probed once per process (every probe spawns a program). */
function detectLaunchers(): Promise<Launcher[]> {
  detected ??= Promise.all(PROBES.map((p) => p())).then((found) =>
    found.filter((l): l is Launcher => l !== undefined).sort((a, b) => a.runtime.language.localeCompare(b.runtime.language)),
  )
  return detected
}

interface Limits {
  timeouts: { run: number; compile: number }
  cpu_times: { run: number; compile: number }
  memory_limits: { run: number; compile: number }
}

/** Piston's request limit validation, same order and messages (api/v2.js). */
function limitViolation(request: ExecuteRequest, limits: Limits): string | undefined {
  const body = request as unknown as Record<string, unknown>
  for (const constraint of ['memory_limit', 'timeout', 'cpu_time'] as const) {
    for (const type of ['compile', 'run'] as const) {
      const name = `${type}_${constraint}`
      const value = body[name]
      const configured = limits[`${constraint}s`][type]
      if (!value) continue
      if (typeof value !== 'number') return `If specified, ${name} must be a number`
      if (configured <= 0) continue
      if (value > configured) return `${name} cannot exceed the configured limit of ${configured}`
      if (value < 0) return `${name} must be non-negative`
    }
  }
  return undefined
}

type Encoding = 'utf8' | 'base64' | 'hex'
/** Piston accepts an `encoding` per file beyond our JobFile type; honour it when a server passes one through. */
type WireFile = Partial<JobFile> & { encoding?: unknown }

function encodingOf(file: WireFile): Encoding {
  return file.encoding === 'base64' || file.encoding === 'hex' ? file.encoding : 'utf8'
}

interface NamedFile {
  name: string
  content: string
  encoding: Encoding
}

/** Piston's defaults: unnamed files become `file<i>.code`, encoding utf8. */
function nameFiles(files: WireFile[]): NamedFile[] {
  return files.map((file, i) => ({ name: file.name || `file${i}.code`, content: file.content ?? '', encoding: encodingOf(file) }))
}

async function writeJobFiles(dir: string, files: NamedFile[]): Promise<void> {
  for (const file of files) {
    const target = path.resolve(dir, file.name)
    const rel = path.relative(dir, target)
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new EngineError(`file name "${file.name}" escapes the job directory`, 'rejected')
    }
    await mkdir(path.dirname(target), { recursive: true })
    await writeFile(target, Buffer.from(file.content, file.encoding))
  }
}

type KillReason = 'timeout' | 'stdout' | 'stderr'

interface RawStage {
  stdout: string
  stderr: string
  output: string
  code: number | null
  signal: string | null
  killedFor?: KillReason
  wallMs: number
}

interface StageOptions {
  cwd: string
  /** Carries the job's mark (`JOB_MARKER` = `job`). */
  env: NodeJS.ProcessEnv
  job: string
  stdin: string
  timeoutMs: number
  outputMaxSize: number
  signal?: AbortSignal
  reaper: JobReaper
  /** Called once the program has started and has its stdin. */
  started?: () => void
}

/**
 * How long the pipes may stay open once the program exited and every process
 * of its job was killed: only one that cleared its environment and left the
 * session can still hold them, and the job does not wait for it.
 */
const PIPE_GRACE_MS = 500

/**
 * Runs one stage in its own session and process group, enforcing the wall
 * limit and the per-stream cap; once the program exits, every process of the
 * job dies, those that left the session included (job-processes.ts).
 */
function runStage({ command, args }: Command, options: StageOptions): Promise<RawStage> {
  return new Promise((resolve, reject) => {
    // An abort before this point fired no event: check it here.
    if (options.signal?.aborted) return reject(options.signal.reason)
    const started = performance.now()
    const since = lastPid()
    // Detached: setsid(), so the program leads a session and group of its own.
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: 'pipe' })
    // Killed by the watchdog if the build dies first.
    const untrack = child.pid === undefined ? undefined : options.reaper.track('group', child.pid)
    let killedFor: KillReason | undefined
    let exited: { code: number | null; signal: string | null; at: number } | undefined
    let output = ''
    const text = { stdout: '', stderr: '' }

    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
      } catch {
        // The group is already gone.
      }
    }
    const kill = (reason: KillReason) => {
      killedFor ??= reason
      killGroup()
    }

    for (const stream of ['stdout', 'stderr'] as const) {
      const decoder = new StringDecoder('utf8')
      let over = false
      const take = (chunk: string) => {
        if (over || chunk === '') return
        // Like Piston, the chunk that crosses the cap is dropped, not cut.
        if (text[stream].length + chunk.length > options.outputMaxSize) {
          over = true
          kill(stream)
          return
        }
        text[stream] += chunk
        output += chunk
      }
      child[stream].on('data', (chunk: Buffer) => take(decoder.write(chunk)))
      child[stream].on('end', () => take(decoder.end()))
    }

    const closePipes = () => {
      child.stdout.destroy()
      child.stderr.destroy()
    }
    const timer = setTimeout(() => {
      // Exited but a leftover process keeps the pipes open: stop waiting for it.
      if (exited) closePipes()
      else kill('timeout')
    }, options.timeoutMs)
    let grace: NodeJS.Timeout | undefined
    let swept: Promise<void> | undefined
    // Background processes of the job die with it, as on Piston, wherever they went.
    const sweep = () => (swept ??= killJobProcesses(options.job, since))

    // Settled on 'close', once the group is dead, so that no process writes into the dir being removed.
    options.signal?.addEventListener('abort', killGroup, { once: true })

    child.stdin.on('error', () => {
      // EPIPE: the program exited without reading its stdin.
    })
    child.stdin.end(options.stdin)
    options.started?.()

    child.on('error', (error) => {
      untrack?.()
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', killGroup)
      reject(new EngineError(`cannot start ${command}: ${error.message}`, 'server', undefined, { cause: error }))
    })
    child.on('exit', (code, signal) => {
      exited = { code, signal, at: performance.now() }
      killGroup()
      void sweep().then(() => void (grace = setTimeout(closePipes, PIPE_GRACE_MS)))
    })
    child.on('close', async () => {
      untrack?.()
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', killGroup)
      if (exited) await sweep()
      clearTimeout(grace)
      if (options.signal?.aborted) return reject(options.signal.reason)
      // Without 'exit' the spawn failed, and 'error' has settled.
      if (!exited) return
      const wallMs = Math.round(exited.at - started)
      // Once Piston decided to kill, it reports SIGKILL even if the program
      // won the race and exited by itself; that keeps results deterministic.
      if (killedFor) return resolve({ ...text, output, code: null, signal: 'SIGKILL', wallMs, killedFor })
      resolve({ ...text, output, code: exited.code, signal: null, wallMs, ...runScriptExit(exited, text.stderr, output) })
    })
  })
}

/** What bash says of a job killed by a signal (strsignal); nothing for SIGINT and SIGPIPE, as bash. */
const SIGNAL_WORDS: Partial<Record<string, string>> = {
  SIGKILL: 'Killed',
  SIGTERM: 'Terminated',
  SIGSEGV: 'Segmentation fault',
  SIGABRT: 'Aborted',
  SIGFPE: 'Floating point exception',
  SIGBUS: 'Bus error',
  SIGILL: 'Illegal instruction',
  SIGHUP: 'Hangup',
  SIGQUIT: 'Quit',
  SIGALRM: 'Alarm clock',
  SIGUSR1: 'User defined signal 1',
  SIGUSR2: 'User defined signal 2',
}

/**
 * Piston runs every program from its package's bash `run` script, so a
 * program that kills itself (`kill -9 $$`) ends the script with exit code
 * 128 + n, and bash reports it on stderr ("Killed"): Piston 3.1.1 answers
 * code 137, not a signal. Bash also names its own line and the job's pid;
 * those differ on every run, so only the words are reproduced.
 */
function runScriptExit(exited: { code: number | null; signal: string | null }, stderr: string, output: string) {
  if (!exited.signal) return {}
  const words = SIGNAL_WORDS[exited.signal]
  const line = words === undefined ? '' : `${words}\n`
  const number = osConstants.signals[exited.signal as NodeJS.Signals] ?? 0
  return { code: 128 + number, stderr: stderr + line, output: output + line }
}

const KILL_STATUS: Record<KillReason, { status: StageStatus; message: string }> = {
  timeout: { status: 'TO', message: 'Time limit exceeded (wall clock)' },
  stdout: { status: 'OL', message: 'stdout length exceeded' },
  stderr: { status: 'EL', message: 'stderr length exceeded' },
}

/** Piston's stage shape; newer servers' `message`/`status`/`wall_time` unless legacy. */
function toStage(raw: RawStage, legacy: boolean): Stage {
  const stage: Stage = { stdout: raw.stdout, stderr: raw.stderr, code: raw.code, signal: raw.signal, output: raw.output }
  if (legacy) return stage
  // A signal only ever comes from our own kill: a program's own ends as the run script's exit code.
  const verdict = raw.killedFor
    ? KILL_STATUS[raw.killedFor]
    : raw.code !== 0
      ? { status: 'RE' as const, message: `Exited with error status ${raw.code}` }
      : { status: null, message: null }
  return { ...stage, message: verdict.message, status: verdict.status, wall_time: raw.wallMs }
}

export function createLocalEngine(options: LocalEngineOptions = {}): Engine {
  const limits: Limits = {
    timeouts: { run: options.runTimeoutMs ?? 3000, compile: options.compileTimeoutMs ?? 10000 },
    // Validated like Piston's defaults; not enforced (no cgroups here).
    cpu_times: { run: 3000, compile: 10000 },
    memory_limits: { run: -1, compile: -1 },
  }
  const outputMaxSize = options.outputMaxSize ?? 1024
  const legacy = options.legacy ?? false
  const jobs = new Set<Promise<unknown>>()
  const parent = options.tmpDir ?? tmpdir()
  let reaper: JobReaper | undefined
  let swept: Promise<void> | undefined

  async function execute(request: ExecuteRequest, { signal, sent }: { signal?: AbortSignal; sent?: () => void } = {}): Promise<ExecuteResponse> {
    signal?.throwIfAborted()
    const started = performance.now()
    const launchers = await detectLaunchers()
    const resolved = resolveRuntime(launchers.map((l) => l.runtime), request.language, request.version)
    if (!resolved.ok) throw new EngineError(resolved.message, 'rejected')
    const launcher = launchers.find((l) => l.runtime === resolved.runtime)!
    const files = nameFiles(request.files)
    const codeFiles = files.filter((f) => f.encoding === 'utf8').map((f) => f.name)
    const entry = codeFiles[0]
    if (entry === undefined) throw new EngineError('files must include at least one utf8 encoded file', 'rejected')
    const violation = limitViolation(request, limits)
    if (violation) throw new EngineError(violation, 'rejected')

    const stdin = request.stdin ?? ''
    // Once per engine: folders a killed build could not remove.
    await (swept ??= removeStaleJobDirs(parent))
    reaper ??= startJobReaper()
    const dir = await mkdtemp(path.join(parent, `${JOB_DIR_PREFIX}${process.pid}-`))
    const job = randomUUID()
    const untrack = reaper.track('dir', dir)
    const unmark = reaper.track('job', job)
    try {
      await writeJobFiles(dir, files)
      const stageOptions = {
        cwd: dir,
        env: { PATH: jobPath(launchers), HOME: dir, LANG: 'C.UTF-8', PISTON_LANGUAGE: launcher.runtime.language, [JOB_MARKER]: job },
        job,
        // Piston appends a newline so that a program always reads at least "\n".
        stdin: stdin.endsWith('\n') ? stdin : `${stdin}\n`,
        outputMaxSize,
        reaper,
        ...(signal ? { signal } : {}),
        // The job has left once its first program runs.
        ...(sent ? { started: sent } : {}),
      }
      let compile: Stage | undefined
      if (launcher.compile) {
        const timeoutMs = request.compile_timeout || limits.timeouts.compile
        compile = toStage(await runStage(launcher.compile(codeFiles), { ...stageOptions, timeoutMs }), legacy)
      }
      // A failed compile has no run stage; Piston copies compile into run.
      const runResult =
        compile && compile.code !== 0
          ? compile
          : toStage(
              await runStage(launcher.run(entry, request.args ?? []), {
                ...stageOptions,
                timeoutMs: request.run_timeout || limits.timeouts.run,
              }),
              legacy,
            )
      const response: ExecuteResponse = {
        ...(compile ? { compile } : {}),
        run: runResult,
        language: launcher.runtime.language,
        version: launcher.runtime.version,
        elapsed_ms: Math.round(performance.now() - started),
      }
      // Name the job folder as Piston does, so output reads the same from either engine.
      return replaceJobDir(response, `${dir}${path.sep}`, `/piston/jobs/${randomUUID()}/`)
    } finally {
      await rm(dir, { recursive: true, force: true })
      untrack()
      unmark()
    }
  }

  return {
    info: { kind: 'local' },
    runtimes: async () => (await detectLaunchers()).map((l) => structuredClone(l.runtime)),
    execute(request, executeOptions) {
      const job = execute(request, executeOptions)
      const tracked = job.catch(() => undefined)
      jobs.add(tracked)
      void tracked.finally(() => jobs.delete(tracked))
      return job
    },
    // Waits for running jobs so their temp dirs are gone when close resolves.
    async close() {
      await Promise.all(jobs)
      reaper?.close()
      reaper = undefined
    },
  }
}
