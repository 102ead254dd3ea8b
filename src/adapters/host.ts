import { createHash } from 'node:crypto'
import { relative, resolve, sep } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import type { Element } from 'hast'
import type { Code, Root } from 'mdast'
import { VFile } from 'vfile'
import type { VFileMessage } from 'vfile-message'
import { createCacheStore } from '../cache/store.js'
import { reportToGitHub } from '../report/github.js'
import { formatMessages, summaryLine, tally } from '../report/format.js'
import { createEngine, engineAdvice } from '../execution/create-engine.js'
import { createRunner, type Runner, type RunnerStats } from '../execution/runner.js'
import type { Engine, ExecuteRequest } from '../execution/types.js'
import { reportTooDeep } from '../markdown/nesting.js'
import { type FenceBlocks, fenceRunner, type RemarkRunnableOptions } from '../markdown/plugin.js'
import { elementHtml, type RawHtml } from '../hast/html.js'
import { prescanRequests } from '../markdown/prescan.js'
import { hasErrors, report } from '../markdown/rules.js'
import { blockStylesheet } from '../render/assets.js'
import type { HighlightThemes } from '../render/highlight.js'
import rehypeHighlightFences from '../render/rehype-highlight.js'
import { snippetBlock } from '../render/to-hast.js'
import { shieldFromHighlighters } from '../hast/shield.js'
import { copyScript, liveScript } from './live-script.js'
import { type RunnableOptions, type RunnableSettings, resolveOptions } from './options.js'
import type { UnifiedStages } from './unified-stages.js'

/**
 * The longest a build holds its first parse for the pre-scanned jobs to reach
 * the engine: enough for loading the HTTP client and two round trips to a
 * remote server; an engine that is down takes longer to say so (retries).
 */
const UNDERWAY_WAIT_MS = 2000

/** A page asset: its text and a file name that changes with it, so it can be cached forever. */
export interface HashedAsset {
  name: string
  text: string
}

/** One page's fences, parsed by the host's own Markdown library, for `renderFences`. */
export interface FencePage {
  /** The source file, as the host names it (relative paths are taken from the host's `cwd`). */
  path: string
  /** What tells this render of the file from another (Eleventy: the page's URL, for pagination); a render with the same path and id replaces the record. */
  id?: string
  /** The Markdown the library parsed; the fences' positions are its lines. */
  markdown: string
  /**
   * The fences in document order as mdast `code` nodes (`lang`, `meta`,
   * `value` without the last newline, `position`), with a `thematicBreak`
   * between two that are not adjacent (an output fence must directly follow
   * its run fence).
   */
  fences: Root
  /** The source file's line of a line of `markdown`, or undefined where it cannot be known (a template wrote it). Default: the same line. */
  sourceLine?: (line: number) => number | undefined
}

/** What a build reports once every page has rendered. */
export interface BuildReport {
  /** Every problem as `file:line:column: error  reason  [rule]` (then its note), and advice when the engine failed. */
  problems: string[]
  /** `12 snippets: 9 cached, 2 ran, 1 failed, 0 skipped (1 error)`. */
  summary: string
  /** Some problem is an error: the host's build should fail. */
  failed: boolean
  /** The pages' records, sorted by path (for GitHub annotations and the job summary). */
  files: VFile[]
}

/**
 * The core every host adapter shares: one engine, one runner per build (one
 * concurrency limit, de-duplication across pages, the committed cache), the
 * Markdown pipeline, the records of every page, and the page assets.
 */
export interface RunnableHost {
  readonly settings: RunnableSettings
  /** Starts a build: a fresh runner (so an engine that was down is tried again) and no records. */
  startBuild(): void
  /**
   * Renders one page's Markdown to HTML. `lineOffset` is how many lines of
   * the source file come before `markdown` (front matter a host removed), so
   * every position names the real line. Each page is parsed in an
   * event-loop turn of its own.
   */
  render(markdown: string, page: PagePlace): Promise<string>
  /**
   * For a host that keeps its own Markdown library (Eleventy's markdown-it):
   * runs, judges and records one page's fences, and returns the HTML of each
   * fence this package renders: its run fences' blocks, '' for the fences
   * that leave the page (output, stdin, hidden), and with
   * `highlight.allFences` every other fence, highlighted. A fence not in the
   * map is the host's to render.
   */
  renderFences(page: FencePage): Promise<Map<Code, string>>
  /**
   * Renders the block one template call stands for (a paired shortcode), as
   * a record of its own: two calls at one place (a partial included twice)
   * are two records. `fence` is the Markdown fence it stands for; `line` is
   * the line of the call's opening tag, undefined when it cannot be known
   * (then its problems name the file and say so). With `problems` (wrong
   * arguments) nothing runs: each is reported, and the block says why it
   * did not run.
   */
  renderCall(call: TemplateCallRecord): Promise<string>
  /** `renderCall` without the HTML (the CLI's `check`). */
  checkCall(call: TemplateCallRecord): Promise<void>
  /**
   * `render` without the HTML: runs and judges a page's snippets and records
   * its problems (the CLI's `check`, which writes no pages). `templated`: the
   * site's build runs a template engine over this page first, so a snippet
   * holding template syntax is its alone (recorded 'build-only', not run).
   */
  check(markdown: string, page: { path: string; lineOffset?: number; templated?: boolean }): Promise<void>
  /** For a host that runs the Markdown itself (Astro): the runnable step's options for this build (its runner, live, limits). */
  pluginOptions(): RemarkRunnableOptions
  /**
   * Records a page such a host rendered, for `finishBuild`. `kept`: the record
   * of an earlier build, for a page the host did not render again (Astro's
   * content store); this build's own record of the page wins.
   */
  addPage(file: VFile, kept?: boolean): void
  /**
   * Pre-scan: queues the jobs of a source file's run fences (found by a line
   * scan, see markdown/prescan.ts) before any page is parsed, so the engine
   * works while the pages are. Each counts, and is cached, once its page asks
   * for it. Nothing when frozen, or when custom remark plugins run first (they
   * may change fences).
   */
  prefetch(source: string): void
  /**
   * Settles once the prefetched jobs the cache did not have are on their way
   * to the engine (they fill every job slot, or all of them are): parsing a
   * large post before then would hold them back, since it blocks the thread.
   */
  underway(): Promise<void>
  /**
   * The pre-scan of a Markdown page's source as the host reads it, early
   * (before it renders any page): its jobs are held, not queued, until
   * `prefetchPages` names the pages the host will render.
   */
  prescanPage(path: string, source: string): void
  /**
   * Queues the held jobs of the pages the host will render, in the order it
   * will ask for them (Eleventy renders them one at a time, grouped by
   * collection, not in file order). A file not listed (a draft a
   * preprocessor left out) costs no engine call.
   */
  prefetchPages(paths: string[]): void
  /** Every problem of the build, in file then line order, after all pages rendered. */
  finishBuild(): BuildReport
  /** Counts of this build's unique jobs. */
  stats(): RunnerStats
  /** Cache entries no snippet of this build asked for. */
  unusedCacheEntries(): Promise<string[]>
  removeCacheEntries(keys: string[]): Promise<void>
  /** The blocks' stylesheet. */
  stylesheet(): Promise<HashedAsset>
  /** The live runner's script (only useful with a live endpoint), copy button included. */
  liveScript(): Promise<HashedAsset>
  /** The copy button's script, for pages with blocks but no live runner. */
  copyScript(): Promise<HashedAsset>
  /** Closes the engine's connections; the next build opens them again. */
  close(): Promise<void>
}

/** Where a page's Markdown is in its file. */
export interface PagePlace {
  path: string
  /** Lines of the file before the Markdown (front matter a host removed). Default 0. */
  lineOffset?: number
  /**
   * Where a template engine ran over the page first: the file's line for a
   * line as `lineOffset` places it, undefined where it is not known (a
   * problem there then names the file alone and says so).
   */
  lineMap?: (line: number) => number | undefined
}

/** One template call for `renderCall`. */
export interface TemplateCallRecord {
  /** The file the call is written in. */
  path: string
  line?: number
  /** The line of the body's first line of code, when it is not the one after `line` (a body on the opening tag's line). */
  codeLine?: number
  fence: string
  /** What the block shows when it cannot run. */
  shown: { language: string; title?: string; code: string }
  problems?: Array<{ reason: string; column?: number; line?: number }>
}

/** Where the host runs: relative paths (cache folder, reported files) are taken from `cwd`. */
export interface HostContext {
  /** Default `process.cwd()`. */
  cwd?: string
  /** Default `process.env`. */
  env?: NodeJS.ProcessEnv
  /** The adapter's own option names (Eleventy's `shortcode`), so that an unknown option's message lists them too. */
  ownOptions?: readonly string[]
}

export function createRunnableHost(options: RunnableOptions = {}, { cwd = process.cwd(), env = process.env, ownOptions = [] }: HostContext = {}): RunnableHost {
  const settings = resolveOptions(options, env, cwd, ownOptions)
  let engine: Engine | undefined
  const cache = createCacheStore(settings.cacheDir)
  // This build's unified stages, loaded with the first page that needs them.
  let stages: Promise<UnifiedStages> | undefined
  let runner: Runner | undefined
  let runFences: ((tree: Root, file: VFile) => Promise<FenceBlocks<Element | RawHtml>>) | undefined
  const pages = new Map<string, VFile>()
  // The requests prescanPage found, by absolute path, until prefetchPages.
  const prescanned = new Map<string, ExecuteRequest[]>()
  // Frozen, nothing runs early; custom remark plugins run before ours and may change fences.
  const prescans = !settings.frozen && settings.remarkPlugins.length === 0

  function startBuild() {
    engine ??= settings.engineObject ?? createEngine(settings)
    pages.clear()
    prescanned.clear()
    runner = createRunner({
      engine,
      cache,
      concurrency: settings.concurrency,
      refresh: settings.refresh,
      frozen: settings.frozen,
      readOnly: settings.readOnly,
      onProgress: settings.onProgress,
    })
    runFences = fenceRunner(pluginOptions(), { asHtml: true })
    stages = undefined
  }

  function unifiedStages(): Promise<UnifiedStages> {
    const options = pluginOptions()
    return (stages ??= import('./unified-stages.js').then((m) => m.unifiedStages(settings, options)))
  }

  /** Runs a page's stages: its HTML when `html`, else only its problems and snippets ('' then). */
  async function runStages(file: VFile, html: boolean): Promise<string> {
    const { markdown, html: toHtml, mdx } = await unifiedStages()
    // An MDX page is only ever checked here (its host builds it): read as MDX reads it.
    if (!html && file.path.endsWith('.mdx')) {
      const processor = await mdx()
      let tree
      try {
        tree = processor.parse(file)
      } catch (error) {
        // A page MDX cannot read: its host's build fails on it too, at the same place.
        const { reason, place } = error as VFileMessage
        // An unclosed tag is found at the end of the page: its message names the tag's place, "(5:1-5:8)".
        const [, line, column] = /\((\d+):(\d+)-\d+:\d+\)$/.exec(reason) ?? []
        report(file, { ruleId: 'mdx-syntax', reason: `this page is not valid MDX: ${reason}`, place: place ?? (line ? { line: +line, column: +column! } : undefined) })
        return ''
      }
      await processor.run(tree, file)
      return ''
    }
    // A rehype plugin may report problems too: then a check makes the HTML, and drops it.
    if (html || settings.rehypePlugins.length) {
      const out = String(await toHtml.process(file))
      return html ? out : ''
    }
    await markdown.run(markdown.parse(file), file)
    return ''
  }

  // Template calls counted in this build: each is a record of its own.
  let calls = 0

  /**
   * A page's record, kept for `finishBuild` under `key` (default: its place,
   * so that a page rendered again, as under pagination, replaces its own);
   * undefined when it is nested too deep for the Markdown stages (an error at its line).
   */
  function record(markdown: string, page: { path: string; lineOffset?: number }, key?: string): VFile | undefined {
    if (!runner) startBuild()
    const path = relative(cwd, resolve(cwd, page.path)).split(sep).join('/')
    const file = new VFile({ path, value: '\n'.repeat(page.lineOffset ?? 0) + markdown })
    pages.set(key ?? `${path}:${page.lineOffset ?? 0}`, file)
    return reportTooDeep(file) ? undefined : file
  }

  // One page parsed per event-loop turn. `check` asks for every page at once,
  // Eleventy for one after another through promises alone: either way,
  // without a turn between them, the pages are parsed in one long task, and
  // the engine's answers that came in meanwhile, and the jobs that would
  // follow them, wait for the last page.
  let turn = Promise.resolve()
  const nextTurn = () => (turn = turn.then(() => new Promise<void>((resolve) => setImmediate(resolve))))

  /** The requests of a source's pre-scanned run fences. */
  function prescan(source: string): ExecuteRequest[] {
    if (!runner) startBuild()
    return prescans ? prescanRequests(source, settings.limits.timeoutMs) : []
  }

  /** A template call's record: its block's HTML when `html`, else only its problems and snippet. */
  async function settleCall({ path, line, codeLine = (line ?? 0) + 1, fence, shown, problems = [] }: TemplateCallRecord, html: boolean): Promise<string> {
    await nextTurn()
    // The fence's opening line at the call's; its code moved to the body's lines below when they are elsewhere.
    const file = record(fence, { path, lineOffset: line === undefined ? 0 : line - 1 }, `call ${++calls}`)
    if (!file) return ''
    let out = ''
    if (problems.length) {
      for (const p of problems) report(file, { ruleId: 'invalid-option', reason: p.reason, place: { line: p.line ?? 1, column: p.column ?? 1 } })
      file.data.snippets = [{ line: line ?? 1, column: 1, ...shown, status: 'failed', summary: problems[0]!.reason, live: false }]
      const block = snippetBlock({ ...shown, notice: { kind: 'not-run', text: `not run: ${problems[0]!.reason}` } })
      if (html) out = await elementHtml(shieldFromHighlighters(block))
    } else out = await runStages(file, html)
    file.value = ''
    if (line === undefined) for (const message of file.messages) placeUnknown(message)
    else if (!problems.length && codeLine !== line + 1) {
      file.data.sourceLine = (at) => (at > line ? at + codeLine - line - 1 : at)
      relocate(file)
    }
    return out
  }

  function pluginOptions(): RemarkRunnableOptions {
    if (!runner) startBuild()
    return { runner, live: settings.liveEndpoint !== undefined, limits: settings.limits, highlight: settings.highlight }
  }

  return {
    settings,
    startBuild,
    pluginOptions,
    addPage: (file, kept) => void (kept && pages.has(file.path) ? undefined : pages.set(file.path, file)),
    async render(markdown, page) {
      await nextTurn()
      const file = record(markdown, page)
      if (!file) return ''
      if (page.lineMap) file.data.sourceLine = page.lineMap
      const html = await runStages(file, true)
      relocate(file)
      // The record keeps its messages and snippets, not the page: all pages' HTML would stay until the build ends.
      file.value = ''
      return html
    },
    async renderFences(page) {
      if (!runFences) startBuild()
      const path = relative(cwd, resolve(cwd, page.path)).split(sep).join('/')
      const file = new VFile({ path, value: page.markdown, data: page.sourceLine && { sourceLine: page.sourceLine } })
      pages.set(`${path}#${page.id ?? ''}`, file)
      const { blocks } = await runFences!(page.fences, file)
      const html = new Map<Code, string>()
      for (const [node, block] of blocks) html.set(node, block ? await elementHtml(block) : '')
      if (settings.highlightAllFences && settings.highlight) {
        const others = page.fences.children.filter((node): node is Code => node.type === 'code' && !blocks.has(node))
        for (const [node, pre] of await highlightFences(others, settings.highlight)) html.set(node, await elementHtml(pre))
      }
      relocate(file)
      file.value = ''
      return html
    },
    renderCall: (call) => settleCall(call, true),
    async checkCall(call) {
      await settleCall(call, false)
    },
    async check(markdown, page) {
      await nextTurn()
      const file = record(markdown, page)
      if (!file) return
      file.data.templated = page.templated ?? false
      await runStages(file, false)
      file.value = ''
    },
    prefetch(source) {
      for (const request of prescan(source)) runner!.prefetch?.(request)
    },
    // Not longer than UNDERWAY_WAIT_MS: an engine that is down takes its retries to say so.
    underway: () => Promise.race([runner?.underway?.(), delay(UNDERWAY_WAIT_MS, undefined, { ref: false })]),
    prescanPage(path, source) {
      const requests = prescan(source)
      if (requests.length) prescanned.set(resolve(cwd, path), requests)
    },
    prefetchPages(paths) {
      for (const path of paths) for (const request of prescanned.get(resolve(cwd, path)) ?? []) runner!.prefetch?.(request)
      prescanned.clear()
    },
    finishBuild() {
      const files = [...pages.values()].sort((a, b) => a.path.localeCompare(b.path))
      const problems = formatMessages(files)
      if (files.some((f) => f.messages.some((m) => m.ruleId === 'engine-failed'))) problems.push(engineAdvice(settings))
      return { problems, summary: summaryLine(tally(files)), failed: hasErrors(files), files }
    },
    stats: () => ({ ...(runner?.stats ?? { total: 0, cached: 0, ran: 0, failed: 0 }) }),
    async unusedCacheEntries() {
      const referenced = runner?.referencedKeys() ?? new Set()
      return (await cache.keys()).filter((key) => !referenced.has(key))
    },
    async removeCacheEntries(keys) {
      await Promise.all(keys.map((key) => cache.remove(key)))
    },
    stylesheet: () =>
      hashed('runnable', 'css', blockStylesheet(settings.highlight, settings.colorScheme)),
    liveScript: () => hashed('runnable-live', 'js', liveScript()),
    copyScript: () => hashed('runnable-copy', 'js', copyScript()),
    async close() {
      // An engine passed in as an object is its caller's to close.
      if (engine !== settings.engineObject) await engine?.close()
      engine = undefined
    },
  }
}

/** A build with failing snippets, thrown by a host adapter after every page was written, so the host exits non-zero. */
export class RunnableBuildError extends Error {
  override name = 'RunnableBuildError'
  /** The report printed before it says everything; Eleventy need not print this stack. */
  skipOriginalStack = true
}

/**
 * Prints a build's report as every host adapter does: each problem, the
 * summary line when there was anything to say, and under GitHub Actions the
 * annotations and job summary. Returns the error to throw when it failed.
 */
export async function printReport(report: BuildReport, env: NodeJS.ProcessEnv = process.env): Promise<RunnableBuildError | undefined> {
  for (const line of report.problems) console.error(line)
  if (report.files.some((f) => f.data.snippets?.length) || report.problems.length) console.error(`[runnable-blog] ${report.summary}`)
  await reportToGitHub(report.files, env)
  return report.failed ? new RunnableBuildError('runnable-blog: some snippets failed (listed above)') : undefined
}

/** Ordinary fences as `pre > code` highlighted by `rehypeHighlightFences`, as they would be on the unified path. */
async function highlightFences(nodes: Code[], themes: Partial<HighlightThemes>): Promise<Map<Code, Element>> {
  const pres = new Map<Code, Element>()
  for (const node of nodes) {
    const code: Element = {
      type: 'element',
      tagName: 'code',
      properties: node.lang ? { className: [`language-${node.lang}`] } : {},
      children: [{ type: 'text', value: node.value ? `${node.value}\n` : '' }],
      data: node.meta ? ({ meta: node.meta } as Element['data']) : undefined,
    }
    pres.set(node, { type: 'element', tagName: 'pre', properties: {}, children: [code] })
  }
  if (pres.size) await rehypeHighlightFences(themes, { asHtml: true })({ type: 'root', children: [...pres.values()] })
  return pres
}

/** Moves a page's messages and snippets to its source file's lines (`sourceLine`), where its lines are not the file's. */
function relocate(file: VFile) {
  const lineMap = file.data.sourceLine
  if (!lineMap) return
  // Not kept with the record until the build ends: a host's map may hold its whole parse of the page (its closure's scope).
  delete file.data.sourceLine
  for (const message of file.messages) {
    if (message.line === undefined) continue
    const line = lineMap(message.line)
    if (line === undefined) placeUnknown(message)
    else {
      // A new place: the old one may be a node's position, shared with other messages.
      const shift = line - message.line
      const place = message.place
      message.line = line
      if (place && 'start' in place) message.place = { start: { ...place.start, line: place.start.line + shift }, end: { ...place.end, line: place.end.line + shift } }
      else if (place) message.place = { ...place, line }
    }
  }
  // A snippet whose line cannot be known has none, rather than a wrong one.
  for (const snippet of file.data.snippets ?? []) snippet.line = snippet.line === undefined ? undefined : lineMap(snippet.line)
}

/** A message whose line cannot be known names its file alone, and says so. */
function placeUnknown(message: VFileMessage) {
  message.reason = message.message = `${message.reason} (line unknown: rendered from a template)`
  message.line = message.column = undefined
  message.place = undefined
}

async function hashed(name: string, ext: string, text: Promise<string>): Promise<HashedAsset> {
  const value = await text
  return { name: `${name}.${createHash('sha256').update(value).digest('hex').slice(0, 10)}.${ext}`, text: value }
}
