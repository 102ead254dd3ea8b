import { createLocalEngine } from './local-engine.js'
import { createPistonEngine } from './piston-client.js'
import type { Engine } from './types.js'

/** What picks and configures an engine, as the CLI and every host adapter take it. */
export interface EngineChoice {
  engine: 'piston' | 'local'
  pistonUrl: string
  token?: string
  /** The Piston server's limits; the local engine plays that server, limits included. */
  limits: { timeoutMs?: number; compileTimeoutMs?: number; outputMaxSize?: number }
}

export function createEngine({ engine, pistonUrl, token, limits }: EngineChoice): Engine {
  if (engine === 'local') {
    return createLocalEngine({ runTimeoutMs: limits.timeoutMs, compileTimeoutMs: limits.compileTimeoutMs, outputMaxSize: limits.outputMaxSize })
  }
  return createPistonEngine({ url: pistonUrl, token, ...(limits.outputMaxSize !== undefined && { outputMaxSize: limits.outputMaxSize }) })
}

/** One line on what to do when some snippets could not run on this engine. */
export function engineAdvice({ engine, pistonUrl }: EngineChoice): string {
  return engine === 'local'
    ? 'The local engine could not run some snippets: check that their interpreters are installed.'
    : `Some snippets could not run on Piston at ${new URL(pistonUrl).host}. Start Piston (see README), set PISTON_URL, or run snippets on this machine (not a sandbox): "engine": "local" in runnable-blog.config.json, or --engine local for the CLI.`
}
