import type { Element } from 'hast'
import type { Code, Root } from 'mdast'
import type { VFile } from 'vfile'
import { acceptedOutcomes, describeExpectation, expectsFailure, meetsExpectation } from '../check/expectations.js'
import { errorExcerpt } from '../check/error-excerpt.js'
import { errorPlace } from '../check/error-line.js'
import { matchOutput, regexProblem } from '../check/output-match.js'
import { createCacheStore } from '../cache/store.js'
import { limitProblem } from '../execution/limits.js'
import { createRunner, type Runner, type RunOutcome } from '../execution/runner.js'
import { runtimeLabel } from '../execution/languages.js'
import type { Engine, ExecuteResponse } from '../execution/types.js'
import {
  DEFAULT_COMPILE_TIMEOUT_MS,
  DEFAULT_OUTPUT_MAX_SIZE,
  DEFAULT_RUN_TIMEOUT_MS,
  describeOutcome,
  type Outcome,
  isUnconfirmed,
  type OutcomeContext,
} from '../render/outcome.js'
import { type Highlight, type HighlightThemes, highlightThemes, loadHighlight } from '../render/highlight.js'
import { renderWithCache } from '../render/render-cache.js'
import { type CodeBoxInput, fileBlock, type SnippetBlockInput, snippetBlock } from '../render/to-hast.js'
import { type Collected, collectSnippets, type Snippet } from './collect.js'
import { formatMessages } from '../report/format.js'
import { report } from './rules.js'
import { holdsTemplateSyntax } from './template-syntax.js'
import { unknownOption } from '../text/closest.js'
import { frozenByEnvironment } from '../report/config.js'
import { shieldFromHighlighters } from '../hast/shield.js'
import type { RawHtml } from '../hast/html.js'

/** Options of `remarkRunnable`. */
export interface RemarkRunnableOptions {
  /**
   * The build-wide runner (cache, engine, one concurrency limit), shared by
   * every file the processor handles. Default: one made from `engine`,
   * `cacheDir` and `concurrency`.
   */
  runner?: Runner
  /** Engine used when no `runner` is given. Required then. */
  engine?: Engine
  /** Cache folder used when no `runner` is given. Default `cache`. */
  cacheDir?: string
  /** Jobs in flight at once when no `runner` is given. Default 6. */
  concurrency?: number
  /**
   * When no `runner` is given: never contact the engine, and fail a snippet
   * whose result is not in the cache (CI, a fresh clone). Default: true when
   * the environment's RUNNABLE_FROZEN is 1 or true, as for the site plugins
   * and the CLI.
   */
  frozen?: boolean
  /** Put what the browser needs to re-run a snippet into its block. Default false. */
  live?: boolean
  /**
   * The Piston server's limits (its PISTON_RUN_TIMEOUT, PISTON_COMPILE_TIMEOUT
   * and PISTON_OUTPUT_MAX_SIZE), for judging and describing how a run ended.
   * Default: Piston's own, 3000 ms, 10000 ms and 1024 characters.
   */
  limits?: OutcomeContext
  /**
   * Throw, after every snippet of the file ran, one error listing each of the
   * file's errors (`file:line:column: error  reason  [rule]`): how a unified
   * host that reads no vfile messages still fails. Default false (the
   * messages are on the file, for a host that reports them itself).
   */
  failOnError?: boolean
  /**
   * Colour the blocks' code at build time with Shiki: a pair of its themes,
   * `{ light, dark }`, following `prefers-color-scheme`, or `false` for plain
   * text. Default `{ light: 'github-light', dark: 'github-dark' }`. The
   * colours are classes: the page needs `blockStylesheet(highlight)`, the
   * blocks' stylesheet with their colours.
   */
  highlight?: Partial<HighlightThemes> | false
}

/** What happened to one snippet, kept on `file.data.snippets` for reports. */
export interface SnippetRecord {
  /** Undefined when the line cannot be known (a fence a template engine wrote, see relocate.ts). */
  line: number | undefined
  column: number
  language: string
  title?: string
  /** The fence's verdict: its expectations held, did not (or it could not run), it is skipped, or only the site's build can run it (see `templated`). */
  status: 'passed' | 'failed' | 'skipped' | 'build-only'
  /** The program it ran, when there was a result, or missing from a frozen build's cache: identical fences share one (same key). */
  program?: { key: string; source: 'cache' | 'ran' | 'missing' }
  /** Words for the outcome when it was not a clean exit, or why it failed. */
  summary?: string
  /** The block carries its program, so a reader's browser can re-run it. */
  live: boolean
}

declare module 'vfile' {
  interface DataMap {
    snippets: SnippetRecord[]
    /**
     * The source file's line of a line of this file, where the host's page is
     * not the file as written (a template ran over it): the host moves the
     * messages there after the run, and a message naming another line in its
     * text names it through this. Undefined where it cannot be known.
     */
    sourceLine: (line: number) => number | undefined
    /**
     * The page as written, where the site's build runs a template engine over
     * it before the Markdown (the CLI reading an Eleventy site): a snippet
     * whose program or expected output holds template syntax is not what that
     * build runs, so it is not run here ('build-only').
     */
    templated: boolean
  }
}

/**
 * Runs fences marked `run` and replaces each with a block showing its code
 * and real output. Nodes are collected synchronously; then every snippet of
 * the file is handed to the build's runner at once.
 */
export default function remarkRunnable(options: RemarkRunnableOptions) {
  const runFences = fenceRunner(checkPluginOptions(options, 'remarkRunnable'))
  return async function transformer(tree: Root, file: VFile) {
    const { blocks, places } = await runFences(tree, file)
    replaceFences(places, blocks)
  }
}

/** What running a tree's fences gives: each owned fence's block (undefined: the fence leaves the page), and where each sits. */
export interface FenceBlocks<Block = Element> {
  blocks: Map<Code, Block | undefined>
  places: Collected['places']
}

/**
 * The work every entry shares (remarkRunnable here, rehypeRunnable on hast
 * through fences made from `pre > code`): collect, run, judge, report, render.
 */
export function fenceRunner(options: RemarkRunnableOptions): (tree: Root, file: VFile) => Promise<FenceBlocks>
/** For a host that takes HTML: highlighted blocks come as raw HTML, cached as such (see renderWithCache). */
export function fenceRunner(options: RemarkRunnableOptions, form: { asHtml: true }): (tree: Root, file: VFile) => Promise<FenceBlocks<Element | RawHtml>>
export function fenceRunner(options: RemarkRunnableOptions, { asHtml = false } = {}): (tree: Root, file: VFile) => Promise<FenceBlocks<Element | RawHtml>> {
  const runner = options.runner ?? defaultRunner(options)
  const live = options.live ?? false
  const limits = options.limits ?? {}
  for (const [key, value] of Object.entries(limits)) {
    const problem = value === undefined ? undefined : limitProblem(key, value)
    if (problem) throw new TypeError(`limits.${key} ${problem}, got ${String(value)}`)
  }
  const themes = highlightThemes(options.highlight)
  return async function runFences(tree, file) {
    const collected = collectSnippets(tree, file, limits.timeoutMs)
    const buildOnly = new Set(file.data.templated ? collected.snippets.filter(holdsTemplate) : [])
    const outcomes = await Promise.all(collected.snippets.map((s) => (s.request && !buildOnly.has(s) ? runner.run(s.request, { declared: expectsFailure(s.options) }) : undefined)))
    const settled = collected.snippets.map((snippet, i) => settle(file, snippet, outcomes[i], { live, limits, ordinal: i + 1, buildOnly: buildOnly.has(snippet) }))
    file.data.snippets = settled.map((s) => s.record)
    const shown: Shown[] = [
      ...settled.map(({ input }) => ({ kind: 'snippet' as const, input })),
      ...collected.files.map(({ node, name, options }) => ({
        kind: 'file' as const,
        input: { language: node.lang ?? '', code: node.value, meta: node.meta ?? undefined, fileName: name, marked: new Set(options.markedLines) },
      })),
      ...collected.invalid.map(({ node, options, errors }) => ({
        kind: 'snippet' as const,
        input: { language: node.lang ?? '', code: node.value, meta: node.meta ?? undefined, fileName: options.file, marked: new Set(options.markedLines), problems: errors },
      })),
    ]
    const rendered = await renderBlocks(themes, shown, asHtml)
    const blocks = new Map<Code, Element | RawHtml | undefined>()
    for (const node of collected.consumed) blocks.set(node, undefined)
    const nodes = [...collected.snippets, ...collected.files, ...collected.invalid].map((fence) => fence.node)
    for (const [i, node] of nodes.entries()) blocks.set(node, rendered[i])
    if (options.failOnError && file.messages.some((m) => m.fatal)) {
      const errors = formatMessages([file]).filter((line) => /^\S+: error /.test(line))
      throw new Error(`runnable-blog: ${errors.length} snippet ${errors.length === 1 ? 'error' : 'errors'}\n${errors.join('\n')}`)
    }
    return { blocks, places: collected.places }
  }
}

/** The snippet's program (its files, stdin and arguments) or expected output holds template syntax. */
function holdsTemplate({ request, outputFence }: Snippet): boolean {
  if (!request) return false
  return [...request.files.map((f) => f.content), request.stdin ?? '', ...(request.args ?? []), outputFence?.node.value ?? ''].some(holdsTemplateSyntax)
}

/** A block to show: a snippet's, or an extra file's (`file=util.py`). */
type Shown = { kind: 'snippet'; input: SnippetBlockInput } | { kind: 'file'; input: CodeBoxInput & { fileName: string } }

/**
 * Each block as hast. Highlighted ones come from the render cache (a block is
 * a pure function of its input and themes): a warm build runs no Shiki for
 * blocks that did not change. Plain ones cost nothing to make as trees; as
 * HTML (`asHtml`) they are cached too, which spares a warm build the
 * serialiser.
 */
async function renderBlocks(themes: HighlightThemes | false, shown: Shown[], asHtml: boolean): Promise<Array<Element | RawHtml>> {
  const make = ({ kind, input }: Shown, highlight?: Highlight) => shieldFromHighlighters(kind === 'file' ? fileBlock({ ...input, highlight }) : snippetBlock({ ...input, highlight }))
  if (!themes && !asHtml) return shown.map((block) => make(block))
  const items = shown.map((block) => ({ ...block, languages: [block.input.language, (block.kind === 'snippet' && block.input.stdinLanguage) || ''], render: (highlight?: Highlight) => [make(block, highlight)] }))
  const load = themes ? (languages: string[]) => loadHighlight(themes, languages) : async () => undefined
  return (await renderWithCache(themes, items, load, { asHtml })).map(([block]) => block as Element | RawHtml)
}

function defaultRunner({ engine, cacheDir = 'cache', concurrency, frozen = frozenByEnvironment() }: RemarkRunnableOptions): Runner {
  return createRunner({ engine: engine!, cache: createCacheStore(cacheDir), concurrency, frozen })
}

/** Every option, so that the compiler says when one is missing here. */
const PLUGIN_OPTIONS: ReadonlySet<string> = new Set(Object.keys({ runner: 1, engine: 1, cacheDir: 1, concurrency: 1, frozen: 1, live: 1, limits: 1, failOnError: 1, highlight: 1 } satisfies Record<keyof RemarkRunnableOptions, 1>))

/** Validates a plugin's options on entry, in the words of what to write instead (`highlight`, `limits` and `concurrency` are checked where they are read). */
export function checkPluginOptions(options: RemarkRunnableOptions, plugin: string): RemarkRunnableOptions {
  const fail = (problem: string) => {
    throw new TypeError(`${plugin}: ${problem}`)
  }
  if (typeof options !== 'object' || options === null) fail('options must be an object')
  const unknown = unknownOption(Object.keys(options), PLUGIN_OPTIONS)
  if (unknown) fail(unknown)
  const { runner, engine, cacheDir } = options
  if (runner === undefined && engine === undefined) fail('needs a `runner` or an `engine`: createLocalEngine() or createPistonEngine({ url })')
  if (typeof engine === 'function') fail('engine must be an engine object: call it, createLocalEngine()')
  if (engine !== undefined && typeof (engine as Partial<Engine> | null)?.execute !== 'function')
    fail(`engine must be an engine object: createLocalEngine() or createPistonEngine({ url }), got ${typeof engine === 'string' ? `"${engine}" (the site plugins and the CLI take "local" or "piston")` : String(engine)}`)
  for (const flag of ['frozen', 'live', 'failOnError'] as const) if (options[flag] !== undefined && typeof options[flag] !== 'boolean') fail(`${flag} must be true or false, got ${JSON.stringify(options[flag])}`)
  if (cacheDir !== undefined && (typeof cacheDir !== 'string' || !cacheDir)) fail(`cacheDir must be a folder's path, got ${JSON.stringify(cacheDir)}`)
  return options
}

/** How `settle` treats a snippet: the plugin's options, and which block of the file it is (from 1). */
interface SettleContext {
  live: boolean
  limits: OutcomeContext
  ordinal: number
  /** Only the site's build knows what this snippet runs: it is not run here. */
  buildOnly: boolean
}

/** Judges one snippet's outcome, reports what is wrong, and says what its block shows. */
function settle(file: VFile, snippet: Snippet, outcome: RunOutcome | undefined, { live, limits, ordinal, buildOnly }: SettleContext) {
  const { node, options, request } = snippet
  // The limits this job ran under: the fence's own, else the server's.
  const context: Required<OutcomeContext> = {
    timeoutMs: request?.run_timeout ?? limits.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS,
    compileTimeoutMs: request?.compile_timeout ?? limits.compileTimeoutMs ?? DEFAULT_COMPILE_TIMEOUT_MS,
    outputMaxSize: limits.outputMaxSize ?? DEFAULT_OUTPUT_MAX_SIZE,
  }
  const language = node.lang ?? ''
  const name = `${language} snippet${options.title ? ` "${options.title}"` : ''}`
  // A fence a plugin made may have no position: its problems then name the file alone.
  const start = node.position?.start
  const record: SnippetRecord = { line: start?.line, column: start?.column ?? 1, language, title: options.title, status: 'failed', live: false }
  const input: SnippetBlockInput = {
    title: options.title,
    language,
    code: node.value,
    meta: node.meta ?? undefined,
    marked: new Set(options.markedLines),
    // Named when the author chose the name, or when the program has other files to tell it from.
    fileName: options.file !== undefined || options.files.length ? request?.files[0]?.name : undefined,
    stdin: snippet.stdinFence?.node.value ?? options.stdin,
    stdinLanguage: snippet.stdinFence?.node.lang ?? undefined,
    stdinMarked: new Set(snippet.stdinFence?.options.markedLines),
  }
  if (live && request && options.live) {
    const setup = request.files[0]!.content.length - node.value.length
    input.live = { request, setup, name: options.title || `${language} snippet ${ordinal}`, limits: context, accepted: acceptedOutcomes(options) }
    record.live = true
  }

  if (options.skip) {
    record.status = 'skipped'
    input.notice = { kind: 'skipped', text: 'not run: skipped by the author' }
  } else if (buildOnly) {
    record.status = 'build-only'
    input.notice = { kind: 'skipped', text: "not run: its template syntax is filled in by the site's build" }
  } else if (!outcome) {
    const { errors } = snippet
    record.summary = errors[0] ?? 'this fence has errors'
    // One error is the notice; several are listed under it, each in full.
    input.notice = { kind: 'not-run', text: `not run: ${errors.length > 1 ? `${errors.length} errors in the fence` : record.summary}` }
    if (errors.length > 1) input.problems = errors
  } else if (!outcome.ok) {
    // A cache problem is not the snippet's: it may well have run.
    const what = outcome.ruleId.startsWith('cache-') ? `${name}:` : `${name} could not run:`
    report(file, { ruleId: outcome.ruleId, reason: `${what} ${outcome.message}`, place: node.position, cause: outcome.cause })
    record.summary = outcome.message
    if (outcome.ruleId === 'missing-result') record.program = { key: outcome.key, source: 'missing' }
    input.notice = { kind: 'not-run', text: `not run: ${outcome.message}` }
  } else {
    if (outcome.cacheProblem) {
      report(file, { ruleId: 'cache-invalid', reason: `cache entry ${outcome.key}.json was unreadable (${outcome.cacheProblem}); ran again`, place: node.position })
    }
    const { response } = outcome
    const result = describeOutcome(response, context)
    // Piston 3.1.1's output-cap kill races the program's own exit even alone:
    // for a fence that expects a kill, a clean exit with no output at all from
    // such a server is ambiguous, not wrong. With output, or from a server
    // that says why it ended a program, it is a clean exit like any other.
    const killExpected = options.expect === 'output-limit' || options.expect === 'timeout'
    const ambiguousKill = killExpected && isUnconfirmed(response)
    if (ambiguousKill) {
      const twice = outcome.confirmation === 'held' ? ' twice, the second time run alone' : ''
      report(file, {
        ruleId: 'ambiguous-result',
        reason: `${name}: the server answered a clean exit with no output${twice}, which a server that does not say why it ended a program (Piston 3.1.1) also answers for one it killed; accepted for expect=${options.expect}, unconfirmed`,
        place: node.position,
      })
    } else if (outcome.doubt) {
      const nothing = response.run.stdout || response.run.stderr ? 'nothing on stderr' : 'no output at all'
      report(file, {
        ruleId: 'ambiguous-result',
        reason: `${name}: the server may have dropped output: twice, the second time run alone, it answered that the program ${didWhat(result)} with ${nothing}, and it does not say why it ended a program (Piston 3.1.1); shown as the server answered, which may not be the program's own result`,
        place: node.position,
      })
    } else if (outcome.confirmation) {
      const then = outcome.confirmation === 'held' ? 'answered the same' : `${didWhat(result)}, which is what counts`
      report(file, {
        ruleId: 'confirmed-result',
        reason: `${name}: the server answered a clean exit with no output, as a busy Piston 3.1.1 also answers for a program it killed; run again alone, it ${then}`,
        place: node.position,
      })
    }
    const failures = [
      ambiguousKill || meetsExpectation(result, options)
        ? undefined
        : report(file, {
            ruleId: 'snippet-failed',
            reason: `${name} ${didWhat(result)} (expected ${describeExpectation(options, result)})${outcome.uncommitted ? '; not cached, so the next build runs it again' : ''}`,
            place: failingLine(snippet, response) ?? node.position,
          }),
      snippet.outputFence && checkOutput(file, name, snippet.outputFence, response.run.stdout),
    ].filter((m) => m !== undefined)
    // The error itself, beside any diff: with only the diff, a traceback would be nowhere in the report.
    if (failures[0] && failures[0].ruleId === 'snippet-failed') {
      failures[0].note = errorExcerpt(response.language, (result.stage === 'compile' && response.compile) || response.run, snippet.request?.files.map((f) => f.name))
    }
    record.status = failures.length ? 'failed' : 'passed'
    record.program = { key: outcome.key, source: outcome.source }
    record.summary = result.summary || undefined
    Object.assign(input, {
      response,
      outcome: result,
      runtime: runtimeLabel(response),
      localEngine: outcome.engine.kind !== 'piston',
      expectedFailure: expectsFailure(options) && failures.length === 0,
      // Said in the block too, where the author looks (also under a dev server).
      unmet: failures.map((m) => (m.ruleId === 'snippet-failed' ? `expected ${describeExpectation(options, result)}, but it ${didWhat(result)}` : m.ruleId === 'output-mismatch' ? 'stdout does not match the output fence' : m.reason)),
    })
  }
  return { record, input }
}

/**
 * The outcome as what the program did, after its name or "it": a status
 * line's words ("exited with code 1", "killed: …", "compile error (exit
 * code 1)") are not all verb phrases.
 */
function didWhat({ kind, stage, code, summary }: Outcome): string {
  if (kind === 'compile-error') return `failed to compile with exit code ${code}`
  if (kind === 'internal-error') return `hit an ${summary}`
  if (stage === 'compile') return `failed to compile: ${summary.replace(/^compilation /, '')}`
  return summary.replace(/^killed/, 'was killed') || 'exited with code 0'
}

/** Compares stdout with the `output` fence; reports a mismatch there. */
function checkOutput(file: VFile, name: string, fence: NonNullable<Snippet['outputFence']>, stdout: string) {
  const mode = fence.options.match ?? 'exact'
  const invalid = mode === 'regex' ? regexProblem(fence.node.value) : undefined
  if (invalid) return report(file, { ruleId: 'invalid-option', reason: `the output fence is not a valid regex: ${invalid}`, place: fence.node.position })
  const diff = matchOutput(stdout, fence.node.value, mode)
  if (diff === undefined) return undefined
  const message = report(file, { ruleId: 'output-mismatch', reason: `${name}: stdout does not match the output fence (match=${mode})`, place: fence.node.position })
  message.note = diff
  return message
}

/**
 * The Markdown place an interpreter's error names, in the snippet's code or
 * in a fence it prepends (a hidden setup): its line, and its column where
 * the tool names one, on a line of plain ASCII (gcc counts display columns:
 * a tab to the next multiple of 8).
 */
function failingLine(snippet: Snippet, response: ExecuteResponse) {
  const entry = snippet.request?.files[0]
  if (!entry) return undefined
  const stderr = (response.compile?.stderr ?? '') + response.run.stderr
  const place = errorPlace(response.language, stderr, entry.name, snippet.request?.args?.length)
  if (place === undefined) return undefined
  // The entry file is the prepended fences' code, then the snippet's, each ending with a newline.
  let line = place.line
  for (const fence of [...snippet.prepended, snippet.node]) {
    const lines = fence.value.split('\n')
    const text = lines[line - 1]
    if (text === undefined) {
      line -= lines.length
      continue
    }
    const start = fence.position?.start
    if (!start || line < 1) return undefined
    const column = place.column === undefined ? undefined : place.column + (place.pastIndent ? /^ */.exec(text)![0].length : 0)
    const exact = column !== undefined && column <= text.length + 1 && /^[ -~]*$/.test(text)
    return { line: start.line + line, column: exact ? start.column - 1 + column : start.column }
  }
  return undefined
}

/**
 * Puts each block where its fence was and drops consumed fences. Last first,
 * so that removing a fence never shifts the index of one still to be done.
 */
export function replaceFences(places: Collected['places'], blocks: FenceBlocks['blocks']) {
  for (const { node, parent, index } of places.toReversed()) {
    if (!blocks.has(node)) continue
    const block = blocks.get(node)
    if (block) parent.children[index] = { type: 'runnableSnippet', data: { hName: block.tagName, hProperties: block.properties, hChildren: block.children } } as unknown as Code
    else parent.children.splice(index, 1)
  }
}

