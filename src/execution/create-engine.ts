import type { Engine } from './types.js'

/** What picks and configures an engine, as the CLI and every host adapter take it. */
export interface EngineChoice {
  engine: 'piston' | 'local'
  pistonUrl: string
  token?: string
  /** The Piston server's limits; the local engine plays that server, limits included. */
  limits: { timeoutMs?: number; compileTimeoutMs?: number; outputMaxSize?: number }
}

/**
 * The chosen engine, loaded on its first call: a warm build answers every
 * snippet from the cache and never pays for loading an HTTP client or the
 * local engine's process handling.
 */
export function createEngine({ engine, pistonUrl, token, limits }: EngineChoice): Engine {
  let loaded: Promise<Engine> | undefined
  const load = () =>
    (loaded ??=
      engine === 'local'
        ? import('./local-engine.js').then((m) => m.createLocalEngine({ runTimeoutMs: limits.timeoutMs, compileTimeoutMs: limits.compileTimeoutMs, outputMaxSize: limits.outputMaxSize }))
        : import('./piston-client.js').then((m) => m.createPistonEngine({ url: pistonUrl, token, ...(limits.outputMaxSize !== undefined && { outputMaxSize: limits.outputMaxSize }) })))
  return {
    info: { kind: engine },
    runtimes: async () => (await load()).runtimes(),
    execute: async (request, options) => (await load()).execute(request, options),
    // Never loaded, nothing to release.
    close: async () => (loaded ? (await loaded).close() : undefined),
  }
}

/** One line on what to do when some snippets could not run on this engine. */
export function engineAdvice({ engine, pistonUrl }: EngineChoice): string {
  return engine === 'local'
    ? 'The local engine could not run some snippets: check that their interpreters are installed.'
    : `Some snippets could not run on Piston at ${new URL(pistonUrl).host}. Start Piston (see README), set PISTON_URL, or run snippets on this machine (not a sandbox): "engine": "local" in runnable-blog.config.json, or --engine local for the CLI.`
}
