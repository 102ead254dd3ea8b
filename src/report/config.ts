/**
 * `runnable-blog.config.json`: reading and checking it, shared by every host
 * and the CLI.
 */
import { readFileSync } from 'node:fs'
import { limitProblem } from '../execution/limits.js'

/** RUNNABLE_FROZEN=1 (or true): never contact an engine. Read by every host and the CLI alike. */
export const frozenByEnvironment = (env: NodeJS.ProcessEnv = process.env): boolean => /^(1|true)$/i.test(env.RUNNABLE_FROZEN ?? '')

/** Bad usage or configuration: the CLI exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** Keys of `runnable-blog.config.json`; flags and environment override them. */
export interface ConfigFile {
  title?: string
  content?: string
  out?: string
  cache?: string
  engine?: 'piston' | 'local'
  pistonUrl?: string
  concurrency?: number
  live?: { endpoint?: string }
  /** The server's limits as its PISTON_* settings give them: milliseconds and characters. */
  limits?: { runTimeout?: number; compileTimeout?: number; outputMaxSize?: number }
}

export const CONFIG_FILE = 'runnable-blog.config.json'
export const DEFAULT_PISTON_URL = 'http://localhost:2000/api/v2'

/** Reads and validates `runnable-blog.config.json`; a missing file is `{}` unless `required`. */
export function readConfigFile(path: string, required: boolean): ConfigFile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${(error as Error).message}`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${path} must hold a JSON object`)
  const known = ['title', 'content', 'out', 'cache', 'engine', 'pistonUrl', 'concurrency', 'live', 'limits']
  const unknown = Object.keys(value).find((k) => !known.includes(k))
  if (unknown) throw new UsageError(`${path}: unknown key "${unknown}" (known: ${known.join(', ')})`)
  const config = value as Record<string, unknown>
  for (const key of ['title', 'content', 'out', 'cache', 'engine', 'pistonUrl'])
    if (config[key] !== undefined && typeof config[key] !== 'string') throw new UsageError(`${path}: "${key}" must be a string`)
  if (config.concurrency !== undefined && typeof config.concurrency !== 'number')
    throw new UsageError(`${path}: "concurrency" must be a number`)
  const live = config.live as Record<string, unknown> | undefined
  if (live !== undefined && (typeof live !== 'object' || live === null || (live.endpoint !== undefined && typeof live.endpoint !== 'string')))
    throw new UsageError(`${path}: "live" must be an object like {"endpoint": "https://…/api/v2"}`)
  checkLimits(path, config.limits)
  return config as ConfigFile
}

const LIMIT_KEYS = ['runTimeout', 'compileTimeout', 'outputMaxSize']

function checkLimits(path: string, limits: unknown) {
  if (limits === undefined) return
  if (typeof limits !== 'object' || limits === null || Array.isArray(limits))
    throw new UsageError(`${path}: "limits" must be an object like {"runTimeout": 5000, "outputMaxSize": 65536}`)
  for (const [key, value] of Object.entries(limits)) {
    if (!LIMIT_KEYS.includes(key)) throw new UsageError(`${path}: unknown key "limits.${key}" (known: ${LIMIT_KEYS.join(', ')})`)
    const problem = limitProblem(key, value)
    if (problem) throw new UsageError(`${path}: "limits.${key}" ${problem} (${key === 'outputMaxSize' ? 'characters' : 'milliseconds'}), got ${JSON.stringify(value)}`)
  }
}

export function checkUrl(what: string, url: string) {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new UsageError(`${what} is not a URL: "${url}"`)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`${what} must be http(s), got "${url}"`)
}
