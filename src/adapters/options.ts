import { resolve } from 'node:path'
import type { PluggableList } from 'unified'
import { CONFIG_FILE, type ConfigFile, checkUrl, DEFAULT_PISTON_URL, frozenByEnvironment, readConfigFile } from '../report/config.js'
import type { EngineChoice } from '../execution/create-engine.js'
import type { RunnerStats } from '../execution/runner.js'
import { limitProblem } from '../execution/limits.js'
import { DEFAULT_CONCURRENCY } from '../execution/scheduler.js'
import type { Engine } from '../execution/types.js'
import { DEFAULT_THEMES, type HighlightThemes, themesProblem } from '../render/highlight.js'
import type { OutcomeContext } from '../render/outcome.js'
import { type ColorScheme, DEFAULT_COLOR_SCHEME, selectorProblem } from '../render/theme.js'
import { unknownOption } from '../text/closest.js'

/**
 * Options of every host adapter (Eleventy, and any unified host through
 * `createRunnableHost`). Each one falls back to the environment, then to
 * `runnable-blog.config.json` (the file the CLI's `check` reads), then to the
 * default given here.
 */
export interface RunnableOptions {
  /** `piston` (default), `local` (this machine's interpreters; not a sandbox) or an `Engine` object (yours to close: the build never closes it). */
  engine?: 'piston' | 'local' | Engine
  /** Piston API root. Default `$PISTON_URL`, then `http://localhost:2000/api/v2`. */
  pistonUrl?: string
  /** Sent as the `Authorization` header. Default `$PISTON_TOKEN`; never written to the cache or pages. */
  token?: string
  /** Folder of the committed results, relative to the working directory. Default `cache`. */
  cacheDir?: string
  /** Snippets in flight at once for the whole build. Default 6. */
  concurrency?: number
  /**
   * Public API root that readers' browsers may call to re-run snippets, or
   * `false` for none. Default `$RUNNABLE_LIVE_ENDPOINT`, then the config's
   * `live.endpoint`; none when neither is set.
   */
  live?: string | false
  /** The Piston server's limits (its PISTON_RUN_TIMEOUT, PISTON_COMPILE_TIMEOUT, PISTON_OUTPUT_MAX_SIZE). Default Piston's: 3000, 10000, 1024. */
  limits?: ConfigFile['limits']
  /** Never contact an engine; a result missing from the cache is an error. Default: `$RUNNABLE_FROZEN` is `1` or `true`. */
  frozen?: boolean
  /** Ignore the cache and run every snippet again. Default false. */
  refresh?: boolean
  /** Keep new results in memory only, writing nothing to the cache (the CLI's `check`). Default false. */
  readOnly?: boolean
  /** The config file to read, or `false` for none. Default `runnable-blog.config.json` when it exists. */
  configFile?: string | false
  /** remark plugins run before the runnable step (e.g. remark-gfm). Default none. */
  remarkPlugins?: PluggableList
  /** rehype plugins run after Markdown becomes HTML. Default none. */
  rehypePlugins?: PluggableList
  /** Called whenever a job starts or settles (the CLI's progress line). Default none. */
  onProgress?: (stats: RunnerStats) => void
  /**
   * Build-time highlighting with Shiki: `{ light, dark }` theme names (default
   * `github-light` and `github-dark`, picked by `colorScheme`), or `{ theme }`
   * for one theme in both schemes, and `allFences: true` to colour ordinary
   * fences too (default: runnable blocks only), or `false` for plain code.
   */
  highlight?: (Partial<HighlightThemes> & { theme?: string; allFences?: boolean }) | false
  /**
   * How a block knows the site is dark: `dark` and `light` are selectors of
   * an ancestor (usually `<html>`) that the site's theme switch sets, `media`
   * whether `prefers-color-scheme` counts when neither matches. Default
   * `{ dark: '[data-theme=dark], .dark', light: '[data-theme=light], .light', media: true }`;
   * each key given replaces its default.
   */
  colorScheme?: Partial<ColorScheme>
}

/** The options after defaults, environment and config file are applied. */
export interface RunnableSettings extends EngineChoice {
  engineObject?: Engine
  cacheDir: string
  concurrency: number
  liveEndpoint?: string
  frozen: boolean
  refresh: boolean
  readOnly: boolean
  limits: OutcomeContext
  remarkPlugins: PluggableList
  rehypePlugins: PluggableList
  onProgress?: (stats: RunnerStats) => void
  /** The themes, or false when nothing is highlighted. */
  highlight: HighlightThemes | false
  /** Ordinary fences are highlighted too. */
  highlightAllFences: boolean
  colorScheme: ColorScheme
}

/** What the CLI passes to the host core, not documented for sites. */
const INTERNAL = new Set(['readOnly', 'onProgress'])
const KNOWN = new Set(['engine', 'pistonUrl', 'token', 'cacheDir', 'concurrency', 'live', 'limits', 'frozen', 'refresh', 'readOnly', 'configFile', 'remarkPlugins', 'rehypePlugins', 'onProgress', 'highlight', 'colorScheme'])

/** Validates the options on entry; throws a TypeError that names the option. */
export function resolveOptions(options: RunnableOptions = {}, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), hostOptions: readonly string[] = []): RunnableSettings {
  if (typeof options !== 'object' || options === null) throw new TypeError('runnable-blog: options must be an object')
  const unknown = unknownOption(Object.keys(options), KNOWN, [...KNOWN, ...hostOptions].filter((key) => !INTERNAL.has(key)))
  if (unknown) throw new TypeError(`runnable-blog: ${unknown}`)
  const file = options.configFile === false ? {} : readConfigFile(resolve(cwd, options.configFile ?? CONFIG_FILE), options.configFile !== undefined)

  const { engine = file.engine ?? 'piston' } = options
  const isObject = typeof engine === 'object' && engine !== null
  if (!isObject && engine !== 'piston' && engine !== 'local') fail('engine', 'must be "piston", "local" or an Engine object', engine)
  const pistonUrl = options.pistonUrl ?? (env.PISTON_URL || undefined) ?? file.pistonUrl ?? DEFAULT_PISTON_URL
  checkUrl('runnable-blog: pistonUrl', pistonUrl)
  const concurrency = options.concurrency ?? file.concurrency ?? DEFAULT_CONCURRENCY
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) fail('concurrency', 'must be a whole number from 1 to 256', concurrency)
  const live = options.live === undefined ? env.RUNNABLE_LIVE_ENDPOINT || file.live?.endpoint || undefined : options.live || undefined
  if (live !== undefined) {
    if (typeof live !== 'string') fail('live', 'must be a URL string or false', live)
    checkUrl('runnable-blog: live', live)
  }
  const limits = options.limits ?? file.limits ?? {}
  for (const [key, value] of Object.entries(limits)) {
    if (value === undefined) continue
    if (!['runTimeout', 'compileTimeout', 'outputMaxSize'].includes(key)) fail(`limits.${key}`, 'is not a limit (known: runTimeout, compileTimeout, outputMaxSize)', value)
    const problem = limitProblem(key, value)
    if (problem) fail(`limits.${key}`, problem, value)
  }
  for (const key of ['frozen', 'refresh', 'readOnly'] as const) if (options[key] !== undefined && typeof options[key] !== 'boolean') fail(key, 'must be true or false', options[key])
  for (const key of ['remarkPlugins', 'rehypePlugins'] as const) if (options[key] !== undefined && !Array.isArray(options[key])) fail(key, 'must be a list of plugins', options[key])
  const { highlight = {} } = options
  if (highlight !== false) {
    if (typeof highlight !== 'object' || highlight === null) fail('highlight', 'must be { light, dark, allFences }, { theme, allFences } or false', highlight)
    const { allFences, theme, ...themes } = highlight
    if (theme !== undefined && Object.keys(themes).length) throw new TypeError('runnable-blog: highlight.theme is one theme for both schemes; give it or light and dark, not both')
    const problem = theme === undefined ? themesProblem(themes) : themesProblem({ light: theme })?.replace(/^light/, 'theme')
    if (problem) throw new TypeError(`runnable-blog: highlight.${problem}`)
    if (allFences !== undefined && typeof allFences !== 'boolean') fail('highlight.allFences', 'must be true or false', allFences)
  }
  const colorScheme = { ...DEFAULT_COLOR_SCHEME, ...options.colorScheme }
  if (typeof options.colorScheme !== 'object' && options.colorScheme !== undefined) fail('colorScheme', 'must be { dark, light, media }', options.colorScheme)
  for (const key of Object.keys(colorScheme) as Array<keyof ColorScheme>) {
    if (key === 'media') {
      if (typeof colorScheme.media !== 'boolean') fail('colorScheme.media', 'must be true or false', colorScheme.media)
    } else if (key === 'dark' || key === 'light') {
      const problem = selectorProblem(colorScheme[key])
      if (problem) fail(`colorScheme.${key}`, problem, colorScheme[key])
    } else fail(`colorScheme.${key}`, 'is not a setting (known: dark, light, media)', colorScheme[key])
  }
  const frozen = options.frozen ?? frozenByEnvironment(env)
  if (frozen && options.refresh) throw new TypeError('runnable-blog: frozen and refresh contradict each other')

  return {
    engine: isObject ? 'piston' : engine,
    engineObject: isObject ? engine : undefined,
    pistonUrl,
    token: options.token ?? (env.PISTON_TOKEN || undefined),
    cacheDir: resolve(cwd, options.cacheDir ?? file.cache ?? 'cache'),
    concurrency,
    // Without trailing slashes, so that the live runner only appends `/execute`.
    liveEndpoint: live?.replace(/\/+$/, ''),
    frozen,
    refresh: options.refresh ?? false,
    readOnly: options.readOnly ?? false,
    limits: { timeoutMs: limits.runTimeout, compileTimeoutMs: limits.compileTimeout, outputMaxSize: limits.outputMaxSize },
    remarkPlugins: options.remarkPlugins ?? [],
    rehypePlugins: options.rehypePlugins ?? [],
    onProgress: options.onProgress,
    highlight: highlight && { light: highlight.theme ?? highlight.light ?? DEFAULT_THEMES.light, dark: highlight.theme ?? highlight.dark ?? DEFAULT_THEMES.dark },
    highlightAllFences: highlight !== false && highlight.allFences === true,
    colorScheme,
  }
}

function fail(option: string, rule: string, value: unknown): never {
  throw new TypeError(`runnable-blog: ${option} ${rule}, got ${typeof value === 'string' ? `"${value}"` : String(value)}`)
}
