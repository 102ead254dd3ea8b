import { CACHE_FORMAT, keyedRequest } from '../cache/key.js'
import type { CacheEntry, CacheStore } from '../cache/store.js'
import { withoutTimings } from '../cache/timings.js'
import { mayHaveLostOutput, wasKilled } from '../render/outcome.js'
import { createScheduler, type Executed } from './scheduler.js'
import type { Engine, EngineInfo, ExecuteRequest, ExecuteResponse } from './types.js'
import { frozenLanguageProblem } from './languages.js'

/** Options of the build-wide runner. */
export interface RunnerOptions {
  engine: Engine
  cache: CacheStore
  /** Jobs in flight at once, across every post of the build. Default `DEFAULT_CONCURRENCY` (6). */
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
      response: ExecuteResponse
      /** What answered: the engine of this build, or of the build that cached it. */
      engine: EngineInfo
      cacheProblem?: string
      confirmation?: Extract<Executed, { ok: true }>['confirmation']
      /** Run again alone, the answer may still have lost output (`mayHaveLostOutput`). */
      doubt?: 'dropped-output'
      /** Not written to the cache: a failure the fence did not declare, or an answer in doubt; the next build runs it again. */
      uncommitted?: true
    }
  | {
      ok: false
      key: string
      ruleId: Extract<Executed, { ok: false }>['ruleId'] | 'missing-result' | 'cache-corrupt' | 'cache-write-failed'
      message: string
      cause?: Error
      cacheProblem?: string
    }

/** What the asking fence declares, which decides what of a fresh answer is trusted and kept. */
export interface RunIntent {
  /**
   * The fence declares a failure (`expect=…`, `exit=…`). Otherwise a kill or
   * timeout is run again alone once (a busy server kills too), and a kill,
   * or an answer that may have lost output, is not written to the cache.
   */
  declared?: boolean
}

export interface Runner {
  /** The result for a request: from the cache, or run once however often it is asked for. */
  run(request: ExecuteRequest, intent?: RunIntent): Promise<RunOutcome>
  /**
   * Queues a request a page will likely ask for, to be looked up (and, on a
   * miss, run) before the page is parsed; a few are past the lookup at once,
   * as slots free up. It counts, is referenced and is written to the cache
   * only once `run` asks for it; one never asked for costs its job and
   * nothing else. Returns the request's key; does nothing when frozen.
   */
  prefetch?(request: ExecuteRequest): string | undefined
  /**
   * Settles once the prefetched jobs the cache did not have hold every job
   * slot, or all of them are on their way to the engine: from then on a long
   * parse no longer keeps the first jobs from the engine.
   */
  underway?(): Promise<void>
  readonly stats: Readonly<RunnerStats>
  /** Keys of every request asked for so far: what a full build references. */
  referencedKeys(): Set<string>
}

export function createRunner(options: RunnerOptions): Runner {
  const { cache } = options
  const scheduler = createScheduler(options.engine, options.concurrency)
  const jobs = new Map<string, Promise<RunOutcome>>()
  const stats: RunnerStats = { total: 0, cached: 0, ran: 0, failed: 0 }
  const progress = () => options.onProgress?.({ ...stats })

  // The languages of the committed results, read once, on a frozen build's first miss.
  let cachedLanguages: Promise<Set<string>> | undefined
  async function languagesInCache(): Promise<Set<string>> {
    const reads = await Promise.all((await cache.keys()).map((key) => cache.read(key)))
    return new Set(reads.flatMap((read) => (read.status === 'hit' ? [read.entry.request.language, read.entry.response.language] : [])))
  }

  /** The cached result, or the engine's with the entry to write (`fresh`). */
  async function obtain(key: string, request: ExecuteRequest, hooks?: Hooks): Promise<Obtained> {
    let cacheProblem: string | undefined
    if (!options.refresh) {
      const read = await cache.read(key)
      if (read.status === 'hit') return { ok: true, key, source: 'cache', response: read.entry.response, engine: read.entry.engine }
      if (read.status === 'invalid') cacheProblem = read.reason
    }
    hooks?.missed()
    return execute(key, request, cacheProblem, hooks)
  }

  /** The engine's answer, with the entry to write (`fresh`). */
  async function execute(key: string, request: ExecuteRequest, cacheProblem: string | undefined, hooks?: Hooks, alone?: boolean): Promise<Obtained> {
    if (options.frozen && cacheProblem) {
      const message = `the committed cache entry ${key}.json is corrupt (${cacheProblem}); a frozen build never runs snippets: write it again with update`
      return { ok: false, key, ruleId: 'cache-corrupt', message }
    }
    if (options.frozen) {
      const unknown = frozenLanguageProblem(request.language, await (cachedLanguages ??= languagesInCache()))
      if (unknown) return { ok: false, key, ruleId: 'unknown-runtime', message: unknown }
      return { ok: false, key, ruleId: 'missing-result', message: 'no result in the committed cache (a frozen build never runs snippets)' }
    }
    const executed = await scheduler.execute(request, hooks?.sent, { alone })
    if (!executed.ok) return { ...executed, key, cacheProblem }
    // Judged as it is cached: a fresh result and the same one read back later read alike.
    const fresh: CacheEntry = { format: CACHE_FORMAT, key, request, response: withoutTimings(executed.response), engine: scheduler.info }
    const { confirmation } = executed
    return { ok: true, key, source: 'ran', response: fresh.response, engine: fresh.engine, fresh, cacheProblem, ...(confirmation && { confirmation }), ...(executed.alone && { alone: true }) }
  }

  /**
   * Only the program's own result is kept. For a fence that declares no
   * failure, a kill or timeout (a busy server kills too) or an answer that
   * may have lost output (`mayHaveLostOutput`) is run again alone once;
   * still in doubt, it says so. What is still a kill or in doubt is shown
   * but not written: the next build tries again instead of keeping a red
   * build. A declared failure is kept as any result.
   */
  async function trusted(obtained: Obtained, request: ExecuteRequest, { declared = false }: RunIntent): Promise<Obtained> {
    if (declared || !obtained.ok || !obtained.fresh) return obtained
    let result: Obtained = obtained
    if (!obtained.alone && (wasKilled(obtained.response) || mayHaveLostOutput(obtained.response))) {
      result = await execute(obtained.key, request, obtained.cacheProblem, undefined, true)
    }
    if (!result.ok || !result.fresh) return result
    if (mayHaveLostOutput(result.response)) result = { ...result, doubt: 'dropped-output' }
    if (!(wasKilled(result.response) || result.doubt)) return result
    const { fresh: _withheld, ...shown } = result
    return { ...shown, uncommitted: true }
  }

  /**
   * Writes a fresh result, after its job slot is freed: the next job does not
   * wait for the disk. What the build keeps has no request: its code is the
   * pages' to hold, and 5,000 snippets' worth stayed until the build ended.
   */
  async function store(obtained: Obtained): Promise<RunOutcome> {
    if (!obtained.ok || !obtained.fresh) return obtained
    const { fresh, ...outcome } = obtained
    if (options.readOnly) return outcome
    try {
      await cache.write(fresh)
      return outcome
    } catch (error) {
      const cause = error instanceof Error ? error : new Error(String(error))
      const message = `could not write the cache entry ${outcome.key}.json in ${cache.dir}: ${cause.message}`
      return { ok: false, key: outcome.key, ruleId: 'cache-write-failed', message, cause, cacheProblem: outcome.cacheProblem }
    }
  }

  // Prefetched, not yet asked for by a page: started (looked up, maybe running), and waiting to start.
  const early = new Map<string, Promise<Obtained>>()
  const waiting = new Map<string, ExecuteRequest>()
  /**
   * Prefetched jobs past the cache lookup at once: enough to keep every slot
   * busy; the rest wait as bare requests (a started job holds ~3 KB more
   * until it is sent, and a cold check of 5,000 snippets queued them all).
   */
  const ahead = scheduler.concurrency * 2
  let started = 0
  // How far the started prefetches have got, for `underway`.
  let unread = 0
  let unsent = 0
  let sent = 0
  let onUnderway: Array<() => void> = []
  const checkUnderway = () => {
    if (sent < scheduler.concurrency && (waiting.size || unread || unsent)) return
    for (const resolve of onUnderway) resolve()
    onUnderway = []
  }

  function startWaiting() {
    for (const [key, request] of waiting) {
      if (started >= ahead) return
      waiting.delete(key)
      started++
      unread++
      let stage: 'unread' | 'unsent' | 'sent' = 'unread'
      const obtained = obtain(key, request, {
        missed: () => void (unread--, unsent++, (stage = 'unsent')),
        sent: () => void (unsent--, sent++, (stage = 'sent'), checkUnderway()),
      })
      // A failure is reported by the page that asks for it; one never asked for is dropped.
      obtained.catch(() => {}).finally(() => {
        if (stage === 'unread') unread--
        else if (stage === 'unsent') unsent--
        started--
        startWaiting()
        checkUnderway()
      })
      early.set(key, obtained)
    }
  }

  // Keys whose job could not reach or use the engine: asked for again (a dev
  // server's next render), they run again rather than repeat the failure.
  const retry = new Set<string>()

  return {
    run(raw, intent = {}) {
      const { request, key } = keyedRequest(raw)
      let job = jobs.get(key)
      if (!job || retry.delete(key)) {
        // A job run again is still one job of the build.
        if (!job) stats.total++
        else stats.failed--
        progress()
        waiting.delete(key)
        const obtained = early.get(key) ?? obtain(key, request)
        early.delete(key)
        job = obtained.then((o) => trusted(o, request, intent)).then(store).then((outcome) => {
          if (!outcome.ok) stats.failed++
          else stats[outcome.source === 'cache' ? 'cached' : 'ran']++
          if (!outcome.ok && outcome.ruleId === 'engine-failed') retry.add(key)
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
      if (!jobs.has(key) && !early.has(key) && !waiting.has(key)) {
        waiting.set(key, request)
        startWaiting()
      }
      return key
    },
    underway() {
      return new Promise<void>((resolve) => {
        onUnderway.push(resolve)
        checkUnderway()
      })
    },
    stats,
    referencedKeys: () => new Set(jobs.keys()),
  }
}

/** A result as looked up or run; a fresh one carries its cache entry until it is written, and whether it ran alone. */
type Obtained = Extract<RunOutcome, { ok: false }> | (Extract<RunOutcome, { ok: true }> & { fresh?: CacheEntry; alone?: true })

/** Told when a job missed the cache, and when it is handed to the engine. */
interface Hooks {
  missed(): void
  sent(): void
}
