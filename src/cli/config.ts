import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { OutcomeContext } from '../render/outcome.js'

/** Bad usage or configuration: the CLI exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** Everything a command needs, after flags, config file and environment are merged. */
export interface CliConfig {
  command: 'build' | 'check' | 'runtimes'
  root: string
  contentDir: string
  outDir: string
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
  drafts: boolean
  json: boolean
  /** Name each snippet that ran. */
  verbose: boolean
  siteTitle: string
  liveEndpoint?: string
  /** The Piston server's limits, from `limits` in the config file; Piston's defaults where absent. */
  limits: OutcomeContext
}

/** Keys of `runnable-blog.config.json`; flags and environment override them. */
interface ConfigFile {
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

const CONFIG_FILE = 'runnable-blog.config.json'
const DEFAULT_PISTON_URL = 'http://localhost:2000/api/v2'

const flags = {
  config: { type: 'string' },
  content: { type: 'string' },
  out: { type: 'string' },
  cache: { type: 'string' },
  engine: { type: 'string' },
  'piston-url': { type: 'string' },
  concurrency: { type: 'string' },
  refresh: { type: 'boolean' },
  prune: { type: 'boolean' },
  frozen: { type: 'boolean' },
  check: { type: 'boolean' },
  drafts: { type: 'boolean' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const

export const usage = `Usage: runnable-blog [build|check|runtimes] [options]

Commands:
  build             run snippets (cache first) and write the site to dist/ (default)
  check             run or verify every snippet and report; write nothing, cache/ included (same as build --check)
  runtimes          list the languages and versions the content uses (--json for machines)

Options:
  --engine <name>       piston (default) or local (this machine's interpreters; NOT a sandbox)
  --piston-url <url>    Piston API root (env PISTON_URL; default ${DEFAULT_PISTON_URL})
  --concurrency <n>     snippets in flight at once for the whole build (default 4)
  --refresh             ignore the cache and run every snippet again
  --frozen              never contact an engine; fail for results missing from cache/
  --prune               delete cache entries that no snippet uses (not with check)
  -v, --verbose         name each snippet that ran
  --drafts              publish posts marked draft: true
  --content <dir>       default content     --out <dir>    default dist
  --cache <dir>         default cache       --config <file> default ${CONFIG_FILE}
  -h, --help            this help

Environment: PISTON_URL, PISTON_TOKEN (sent as Authorization), RUNNABLE_LIVE_ENDPOINT.
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
  const [command = 'build', ...extra] = positionals
  if (command !== 'build' && command !== 'check' && command !== 'runtimes') throw new UsageError(`unknown command "${command}"`)
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`)

  // An absolute --config is taken as it is.
  const file = await readConfigFile(resolve(cwd, values.config ?? CONFIG_FILE), values.config !== undefined)
  const engine = values.engine ?? file.engine ?? 'piston'
  if (engine !== 'piston' && engine !== 'local') throw new UsageError(`--engine must be piston or local, got "${engine}"`)
  const concurrency = values.concurrency !== undefined ? Number(values.concurrency) : (file.concurrency ?? 4)
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)
    throw new UsageError(`--concurrency must be a whole number from 1 to 256, got "${values.concurrency ?? file.concurrency}"`)
  // An empty variable counts as unset, as shells and CI systems often leave them.
  const pistonUrl = values['piston-url'] ?? (env.PISTON_URL || undefined) ?? file.pistonUrl ?? DEFAULT_PISTON_URL
  checkUrl('the Piston URL', pistonUrl)
  const liveEndpoint = env.RUNNABLE_LIVE_ENDPOINT || file.live?.endpoint || undefined
  if (liveEndpoint !== undefined) checkUrl('the live endpoint', liveEndpoint)
  if (values.frozen && values.refresh) throw new UsageError('--frozen and --refresh contradict each other')
  const check = values.check || command === 'check'
  if (check && values.prune) throw new UsageError('--prune deletes from cache/, and check writes nothing; prune with build')

  return {
    command: check ? 'check' : command,
    root: cwd,
    contentDir: values.content ?? file.content ?? 'content',
    outDir: values.out ?? file.out ?? 'dist',
    cacheDir: values.cache ?? file.cache ?? 'cache',
    engine,
    pistonUrl,
    pistonToken: env.PISTON_TOKEN || undefined,
    concurrency,
    refresh: values.refresh ?? false,
    prune: values.prune ?? false,
    frozen: values.frozen ?? false,
    drafts: values.drafts ?? false,
    json: values.json ?? false,
    verbose: values.verbose ?? false,
    siteTitle: file.title ?? 'Runnable blog',
    liveEndpoint,
    limits: { timeoutMs: file.limits?.runTimeout, compileTimeoutMs: file.limits?.compileTimeout, outputMaxSize: file.limits?.outputMaxSize },
  }
}

async function readConfigFile(path: string, required: boolean): Promise<ConfigFile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
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

function checkUrl(what: string, url: string) {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new UsageError(`${what} is not a URL: "${url}"`)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`${what} must be http(s), got "${url}"`)
}
