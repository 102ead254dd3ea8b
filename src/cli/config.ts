import { readFileSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { DEFAULT_CONCURRENCY } from '../execution/scheduler.js'
import type { OutcomeContext } from '../render/outcome.js'

/** Bad usage or configuration: the CLI exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** Everything a command needs, after flags, config file and environment are merged. */
export interface CliConfig {
  command: 'check' | 'update' | 'runtimes'
  root: string
  contentDir: string
  cacheDir: string
  engine: 'piston' | 'local'
  /** Piston API root. Default http://localhost:2000/api/v2. */
  pistonUrl: string
  /** From PISTON_TOKEN only: never from a file that might be committed. */
  pistonToken?: string
  concurrency: number
  refresh: boolean
  prune: boolean
  frozen: boolean
  json: boolean
  /** Name each snippet that ran. */
  verbose: boolean
  /** The Piston server's limits, from `limits` in the config file; Piston's defaults where absent. */
  limits: OutcomeContext
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

const flags = {
  config: { type: 'string' },
  content: { type: 'string' },
  cache: { type: 'string' },
  engine: { type: 'string' },
  'piston-url': { type: 'string' },
  concurrency: { type: 'string' },
  refresh: { type: 'boolean' },
  prune: { type: 'boolean' },
  frozen: { type: 'boolean' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const

export const usage = `Usage: runnable-blog [check|update|runtimes] [options]

Commands:
  check             run or verify every snippet of the content and report; writes nothing,
                    cache/ included (default)
  update            the same, and store new results in cache/ (--refresh, --prune)
                    the site itself is built by your generator (Eleventy: runnable-blog/eleventy)
  runtimes          list the languages and versions the content uses (--json for machines)

Options:
  --engine <name>       piston (default) or local (this machine's interpreters; NOT a sandbox)
  --piston-url <url>    Piston API root (env PISTON_URL; default ${DEFAULT_PISTON_URL})
  --concurrency <n>     snippets in flight at once for the whole build (default ${DEFAULT_CONCURRENCY})
  --refresh             ignore the cache and run every snippet again
  --frozen              never contact an engine; fail for results missing from cache/
  --prune               delete cache entries that no snippet uses (update only)
  -v, --verbose         name each snippet that ran
  --content <dir>       default content     --cache <dir>  default cache
  --config <file>       default ${CONFIG_FILE}
  -h, --help            this help

Environment: PISTON_URL, PISTON_TOKEN (sent as Authorization), RUNNABLE_FROZEN=1 (same as --frozen).
Exit codes: 0 all good, 1 a snippet failed or an expectation did not hold, 2 bad usage or configuration.`

export async function readConfig(argv: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CliConfig | 'help'> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, options: flags, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  const { values, positionals } = parsed
  if (values.help) return 'help'
  const [command = 'check', ...extra] = positionals
  if (command === 'build') throw new UsageError('the site is built by your site generator now (this repo: npm run build, which runs Eleventy); the CLI checks snippets (runnable-blog check) and stores their results (runnable-blog update)')
  if (command !== 'check' && command !== 'update' && command !== 'runtimes') throw new UsageError(`unknown command "${command}"`)
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`)

  // An absolute --config is taken as it is.
  const file = readConfigFile(resolve(cwd, values.config ?? CONFIG_FILE), values.config !== undefined)
  const engine = values.engine ?? file.engine ?? 'piston'
  if (engine !== 'piston' && engine !== 'local') throw new UsageError(`--engine must be piston or local, got "${engine}"`)
  const concurrency = values.concurrency !== undefined ? Number(values.concurrency) : (file.concurrency ?? DEFAULT_CONCURRENCY)
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)
    throw new UsageError(`--concurrency must be a whole number from 1 to 256, got "${values.concurrency ?? file.concurrency}"`)
  // An empty variable counts as unset, as shells and CI systems often leave them.
  const pistonUrl = values['piston-url'] ?? (env.PISTON_URL || undefined) ?? file.pistonUrl ?? DEFAULT_PISTON_URL
  checkUrl('the Piston URL', pistonUrl)
  const frozen = values.frozen ?? /^(1|true)$/i.test(env.RUNNABLE_FROZEN ?? '')
  if (frozen && values.refresh) throw new UsageError('--frozen and --refresh contradict each other')
  if (command === 'check' && values.prune) throw new UsageError('--prune deletes from cache/, and check writes nothing; prune with update')

  const contentDir = values.content ?? file.content ?? 'content'
  if (!statSync(resolve(cwd, contentDir), { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`no content folder "${contentDir}" here: name the folder of your posts with --content DIR or "content" in ${CONFIG_FILE}`)

  return {
    command,
    root: cwd,
    contentDir,
    cacheDir: values.cache ?? file.cache ?? 'cache',
    engine,
    pistonUrl,
    pistonToken: env.PISTON_TOKEN || undefined,
    concurrency,
    refresh: values.refresh ?? false,
    prune: values.prune ?? false,
    frozen,
    json: values.json ?? false,
    verbose: values.verbose ?? false,
    limits: { timeoutMs: file.limits?.runTimeout, compileTimeoutMs: file.limits?.compileTimeout, outputMaxSize: file.limits?.outputMaxSize },
  }
}

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
    if (!Number.isInteger(value) || (value as number) < 1)
      throw new UsageError(`${path}: "limits.${key}" must be a positive whole number (${key === 'outputMaxSize' ? 'characters' : 'milliseconds'}), got ${JSON.stringify(value)}`)
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
