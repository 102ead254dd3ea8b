import { readdirSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { DEFAULT_CONCURRENCY } from '../execution/scheduler.js'
import type { OutcomeContext } from '../render/outcome.js'
import { CONFIG_FILE, checkUrl, DEFAULT_PISTON_URL, frozenByEnvironment, readConfigFile, UsageError } from '../report/config.js'
import { astroContentDirs } from './content-files.js'

export { UsageError }

/** Everything a command needs, after flags, config file and environment are merged. */
export interface CliConfig {
  command: 'check' | 'update' | 'runtimes'
  root: string
  /** The folders of the posts, relative to `root`: every Markdown and MDX file under them is read. */
  contentDirs: string[]
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

const flags = {
  config: { type: 'string' },
  content: { type: 'string', multiple: true },
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
  --content <dir>       the posts' folder (.md, .markdown, .mdx), repeatable; default: src/content and
                        src/pages in an Astro project (astro.config.*), else content
  --cache <dir>         default cache
  --config <file>       default ${CONFIG_FILE}
  -h, --help            this help

Environment: PISTON_URL, PISTON_TOKEN (sent as Authorization), RUNNABLE_FROZEN=1 (same as --frozen).
Exit codes: 0 all good, 1 a snippet failed or an expectation did not hold, 2 bad usage or configuration.`

/** Where the posts are when nothing says: an Astro project's content and pages, else `content` (Eleventy's sample layout). */
function defaultContentDirs(cwd: string): string[] {
  const astro = astroContentDirs(cwd, readdirSync(cwd))
  if (astro?.length === 0) throw new UsageError(`this Astro project has neither src/content nor src/pages: name the folder of your posts with --content DIR or "content" in ${CONFIG_FILE}`)
  return astro ?? ['content']
}

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
  const frozen = values.frozen ?? frozenByEnvironment(env)
  if (frozen && values.refresh) throw new UsageError('--frozen and --refresh contradict each other')
  if (command === 'check' && values.prune) throw new UsageError('--prune deletes from cache/, and check writes nothing; prune with update')

  const contentDirs = values.content ?? (file.content !== undefined ? [file.content] : defaultContentDirs(cwd))
  for (const dir of contentDirs) {
    if (!statSync(resolve(cwd, dir), { throwIfNoEntry: false })?.isDirectory())
      throw new UsageError(`no content folder "${dir}" here: name the folder of your posts with --content DIR or "content" in ${CONFIG_FILE}`)
  }

  return {
    command,
    root: cwd,
    contentDirs,
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
