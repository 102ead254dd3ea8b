import pLimit from 'p-limit'
import { CACHE_FORMAT, keyedRequest } from '../cache/key.js'
import type { CacheEntry, CacheStore } from '../cache/store.js'
import { withoutTimings } from '../cache/timings.js'
import { PISTON_JOB_DIR, replaceJobDir } from '../render/job-dir.js'
import { isUnconfirmed } from '../render/outcome.js'
import { resolveRuntime } from './runtimes.js'
import { type Engine, EngineError, type ExecuteRequest, type ExecuteResponse } from './types.js'

/** Options of the build-wide runner. */
export interface RunnerOptions {
  engine: Engine
  cache: CacheStore
  /** Jobs in flight at once, across every post of the build. Default 4: a 1-vCPU VM survives it. */
  concurrency?: number
  /** Ignore cached results and run everything again (new results are written). Default false. */
  refresh?: boolean
  /** Never contact the engine; a result missing from the cache is an error. Default false. */
  frozen?: boolean
  /** Keep new results in memory only, writing nothing to the cache (`check`). Default false. */
  readOnly?: boolean
  /** Called whenever a job starts or settles. */
  onProgress?: (stats: RunnerStats) => void
}

/** Counts of unique jobs (identical snippets count once). */
export interface RunnerStats {
  total: number
  cached: number
  ran: number
  failed: number
}

export type RunOutcome =
  | {
      ok: true
      key: string
      source: 'cache' | 'ran'
      entry: CacheEntry
      cacheProblem?: string
      /**
       * The server first answered a clean exit with no output, which a server
       * without `status` also gives for a program it killed, so the job ran
       * again alone: `held` when the second answer said the same.
       */
      confirmation?: 'held' | 'changed'
    }
  | {
      ok: false
      key: string
      ruleId: 'engine-failed' | 'unknown-runtime' | 'missing-result'
      message: string
      cause?: Error
      cacheProblem?: string
    }

export interface Runner {
  /** The result for a request: from the cache, or run once however often it is asked for. */
  run(request: ExecuteRequest): Promise<RunOutcome>
  /**
   * Starts looking up (and, on a miss, running) a request a page will likely
   * ask for, before the page is parsed. It counts, is referenced and is
   * written to the cache only once `run` asks for it; one never asked for
   * costs its job and nothing else. Does nothing when frozen.
   */
  prefetch?(request: ExecuteRequest): void
  readonly stats: Readonly<RunnerStats>
  /** Keys of every request asked for so far: what a full build references. */
  referencedKeys(): Set<string>
}

export function createRunner(options: RunnerOptions): Runner {
  const concurrency = options.concurrency ?? 4
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new TypeError(`concurrency must be a whole number of at least 1, got ${String(concurrency)}`)
  }
  const { engine, cache } = options
  const limit = pLimit(concurrency)
  /**
   * Runs `job` with every slot held, so that nothing else of this build is
   * in flight. The slots are queued in one synchronous loop, so they are
   * contiguous in p-limit's FIFO queue and two of these cannot deadlock.
   */
  async function alone<T>(job: () => Promise<T>): Promise<T> {
    let held = 0
    let allHeld!: () => void
    let release!: () => void
    const all = new Promise<void>((resolve) => (allHeld = resolve))
    const released = new Promise<void>((resolve) => (release = resolve))
    const slots = Array.from({ length: concurrency }, () =>
      limit(() => {
        if (++held === concurrency) allHeld()
        return released
      }),
    )
    await all
    try {
      return await job()
    } finally {
      release()
      await Promise.all(slots)
    }
  }
  const jobs = new Map<string, Promise<RunOutcome>>()
  const stats: RunnerStats = { total: 0, cached: 0, ran: 0, failed: 0 }
  const progress = () => options.onProgress?.({ ...stats })
  // Once the engine is unreachable every further job would wait out the same
  // retries; fail them at once with the same explanation instead.
  let unreachable: EngineError | undefined

  /** The cached result, or the engine's, not yet written to the cache. */
  async function obtain(key: string, request: ExecuteRequest): Promise<RunOutcome> {
    let cacheProblem: string | undefined
    if (!options.refresh) {
      const read = await cache.read(key)
      if (read.status === 'hit') return { ok: true, key, source: 'cache', entry: read.entry }
      if (read.status === 'invalid') cacheProblem = read.reason
    }
    const failed = (ruleId: Extract<RunOutcome, { ok: false }>['ruleId'], message: string, cause?: Error): RunOutcome => ({
      ok: false,
      key,
      ruleId,
      message,
      cause,
      cacheProblem,
    })
    if (options.frozen) return failed('missing-result', 'no result in the committed cache (a frozen build never runs snippets)')
    const execute = async (): Promise<RunOutcome | ExecuteResponse> => {
      if (unreachable) return failed('engine-failed', unreachable.message, unreachable)
      try {
        const resolved = resolveRuntime(await engine.runtimes(), request.language, request.version)
        if (!resolved.ok) return failed('unknown-runtime', resolved.message)
        // A traceback then reads `File "main.py"`, and a re-run gives the same text.
        return replaceJobDir(await engine.execute(request), PISTON_JOB_DIR, '')
      } catch (error) {
        if (error instanceof EngineError && error.kind === 'unreachable') unreachable ??= error
        const cause = error instanceof Error ? error : new Error(String(error))
        return failed('engine-failed', cause.message, cause)
      }
    }
    let answer = await limit(execute)
    let confirmation: 'held' | 'changed' | undefined
    // Not decided by chance: a busy Piston 3.1.1 gives this answer for programs it killed.
    if (!('ok' in answer) && isUnconfirmed(answer)) {
      answer = await alone(execute)
      if (!('ok' in answer)) confirmation = isUnconfirmed(answer) ? 'held' : 'changed'
    }
    if ('ok' in answer) return answer
    // Judged as it is cached: a fresh result and the same one read back later read alike.
    const entry: CacheEntry = { format: CACHE_FORMAT, key, request, response: withoutTimings(answer), engine: engine.info }
    return { ok: true, key, source: 'ran', entry, cacheProblem, ...(confirmation && { confirmation }) }
  }

  /** Writes a fresh result, after its job slot is freed: the next job does not wait for the disk. */
  async function store(outcome: RunOutcome): Promise<RunOutcome> {
    if (!outcome.ok || outcome.source !== 'ran' || options.readOnly) return outcome
    try {
      await cache.write(outcome.entry)
      return outcome
    } catch (error) {
      const cause = error instanceof Error ? error : new Error(String(error))
      return { ok: false, key: outcome.key, ruleId: 'engine-failed', message: cause.message, cause, cacheProblem: outcome.cacheProblem }
    }
  }

  // Prefetched, not yet asked for by a page.
  const early = new Map<string, Promise<RunOutcome>>()

  return {
    run(raw) {
      const { request, key } = keyedRequest(raw)
      let job = jobs.get(key)
      if (!job) {
        stats.total++
        progress()
        const obtained = early.get(key) ?? obtain(key, request)
        early.delete(key)
        job = obtained.then(store).then((outcome) => {
          if (!outcome.ok) stats.failed++
          else stats[outcome.source === 'cache' ? 'cached' : 'ran']++
          progress()
          return outcome
        })
        jobs.set(key, job)
      }
      return job
    },
    prefetch(raw) {
      if (options.frozen) return
      const { request, key } = keyedRequest(raw)
      if (jobs.has(key) || early.has(key)) return
      const obtained = obtain(key, request)
      // A failure is reported by the page that asks for it; one never asked for is dropped.
      obtained.catch(() => {})
      early.set(key, obtained)
    },
    stats,
    referencedKeys: () => new Set(jobs.keys()),
  }
}
