import pLimit from 'p-limit'
import { PISTON_JOB_DIR, replaceJobDir } from './job-dir.js'
import { isUnconfirmed } from '../render/outcome.js'
import { type Engine, EngineError, type EngineInfo, type ExecuteRequest, type ExecuteResponse } from './types.js'

// Runtime resolution (semver) is loaded once, with the first job: a build served from the cache never needs it.
let resolution: Promise<typeof import('./runtimes.js')> | undefined
const runtimeResolution = () => (resolution ??= import('./runtimes.js'))

/** An engine's answer to one job, judged only as far as running it goes. */
export type Executed =
  | {
      ok: true
      response: ExecuteResponse
      /**
       * The server first answered a clean exit with no output, which a server
       * without `status` also gives for a program it killed, so the job ran
       * again alone: `held` when the second answer said the same.
       */
      confirmation?: 'held' | 'changed'
      /** Answered with nothing else of the build in flight (`confirmation`, or `alone` asked for). */
      alone?: true
    }
  | { ok: false; ruleId: 'engine-failed' | 'unknown-runtime'; message: string; cause?: Error }

/** Runs jobs on an engine, at most `concurrency` at once. */
export interface Scheduler {
  readonly info: EngineInfo
  readonly concurrency: number
  /**
   * `sent` is called once the job has left for the engine (see
   * `Engine.execute`; it may wait for a slot before). `alone`: with nothing
   * else of the build in flight.
   */
  execute(request: ExecuteRequest, sent?: () => void, how?: { alone?: boolean }): Promise<Executed>
}

/**
 * Jobs in flight by default. The deployment's Piston runs two at once
 * (PISTON_MAX_CONCURRENT_JOBS) and queues the rest, so four wait there:
 * enough for it to go on while a long parse holds this thread. The last of
 * six jobs at the deployment's limits (10 s compile, 5 s run) answers after
 * 45 s, within the proxy's 60 s (test/deploy/timeouts.test.ts).
 */
export const DEFAULT_CONCURRENCY = 6

/**
 * The build's job slots in front of an engine: the concurrency limit, the
 * runtime check, the re-run alone of an answer a busy server makes
 * ambiguous, and one failure for every waiting job once the engine is
 * unreachable.
 * Closing it does not close the engine (the caller made it).
 */
export function createScheduler(engine: Engine, concurrency = DEFAULT_CONCURRENCY): Scheduler {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new TypeError(`concurrency must be a whole number of at least 1, got ${String(concurrency)}`)
  }
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
  // Once the engine is unreachable every further job would wait out the same
  // retries; fail them at once with the same explanation instead. Only while
  // jobs wait: once none is in flight or queued (the build's pages are done,
  // or a dev server's page render), the next job tries the engine again, so
  // a long-lived host recovers when the engine is back.
  let unreachable: EngineError | undefined
  let busy = 0

  async function once(request: ExecuteRequest, sent?: () => void): Promise<Executed> {
    const failed = (ruleId: 'engine-failed' | 'unknown-runtime', message: string, cause?: Error): Executed => ({ ok: false, ruleId, message, cause })
    if (unreachable) return failed('engine-failed', unreachable.message, unreachable)
    try {
      const [runtimes, { resolveRuntime }] = await Promise.all([engine.runtimes(), runtimeResolution()])
      const resolved = resolveRuntime(runtimes, request.language, request.version)
      if (!resolved.ok) return failed('unknown-runtime', resolved.message)
      // A traceback then reads `File "main.py"`, and a re-run gives the same text.
      let told = false
      const tell = () => void (told || ((told = true), sent?.()))
      const answer = engine.execute(request, { sent: tell })
      // An engine that cannot tell has sent the job by the time it answers (or fails).
      return { ok: true, response: replaceJobDir(await answer.finally(tell), PISTON_JOB_DIR, '') }
    } catch (error) {
      if (error instanceof EngineError && error.kind === 'unreachable') unreachable ??= error
      const cause = error instanceof Error ? error : new Error(String(error))
      return failed('engine-failed', cause.message, cause)
    }
  }

  return {
    info: engine.info,
    concurrency,
    async execute(request, sent, how = {}) {
      busy++
      try {
        const first = how.alone ? await alone(() => once(request, sent)) : await limit(() => once(request, sent))
        // Not decided by chance: a busy Piston 3.1.1 gives this answer for programs it killed.
        if (!first.ok || !isUnconfirmed(first.response)) return first.ok && how.alone ? { ...first, alone: true } : first
        const again = await alone(() => once(request))
        return again.ok ? { ...again, alone: true, confirmation: isUnconfirmed(again.response) ? 'held' : 'changed' } : again
      } finally {
        if (--busy === 0) unreachable = undefined
      }
    },
  }
}
