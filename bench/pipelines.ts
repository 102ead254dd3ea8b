/**
 * The pipelines the benchmark compares. `mirrorBuild` follows `checkContent`
 * (src/cli/check-content.ts) step by step — list and read the same files, the
 * same Markdown stages with every post in flight at once — but lets the bench
 * choose the snippet stage:
 *
 * - `plain`: no snippet plugin at all (the baseline: plain unified pipeline),
 *   with `highlight`, @shikijs/rehype on every fence (bench/shiki-baseline.js);
 * - `stub`: the plugin with a runner that answers instantly from memory (no
 *   key, no cache): collecting, judging and rendering snippet blocks
 *   (highlighting off in this stage and the next two: the breakdown is of the
 *   snippet work; highlighting is measured by `checkContent` with and without);
 * - `memory`: the real runner over an in-memory cache: + request
 *   normalisation, SHA-256 keys, dedupe;
 * - `disk`: the real runner over the real cache store: + cache file reads.
 *
 * `checkContent` itself is then the full check (adds the orphan listing). The
 * product code is not instrumented; the differences between these variants,
 * measured back to back, are the breakdown.
 */
import { posix, join } from 'node:path'
import rehypeStringify from 'rehype-stringify'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'
import type { VFile } from 'vfile'
import { createRunnableHost } from '../src/adapters/host.js'
import type { RunnableOptions } from '../src/adapters/options.js'
import { type CacheEntry, type CacheStore, createCacheStore } from '../src/cache/store.js'
import { listMarkdown, readPost } from '../src/cli/content-files.js'
import { createRunner, type Runner, type RunOutcome } from '../src/execution/runner.js'
import type { Engine } from '../src/execution/types.js'
import { frontMatterLines } from '../src/markdown/front-matter.js'
import remarkRunnable from '../src/markdown/plugin.js'
import { shikiBaseline } from './shiki-baseline.js'

export type SnippetStage = { kind: 'plain'; highlight?: boolean } | { kind: 'stub' } | { kind: 'runner'; cache: CacheStore; engine: Engine }

export interface MirrorOptions {
  root: string
  stage: SnippetStage
}

/** What the stub runner answers: a cached hello-world result. */
function stubRunner(): Runner {
  const stats = { total: 0, cached: 0, ran: 0, failed: 0 }
  return {
    run(): Promise<RunOutcome> {
      stats.total++
      stats.cached++
      const response = { language: 'python', version: '3.12.0', run: { stdout: 'Hello, world!\n', stderr: '', output: 'Hello, world!\n', code: 0, signal: null } }
      return Promise.resolve({ ok: true, key: 'stub', source: 'cache', response, engine: { kind: 'piston' } })
    },
    stats,
    referencedKeys: () => new Set(),
  }
}

export async function mirrorBuild(options: MirrorOptions): Promise<VFile[]> {
  const { root, stage } = options
  let processor = unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm)
  if (stage.kind !== 'plain') {
    const runner = stage.kind === 'stub' ? stubRunner() : createRunner({ engine: stage.engine, cache: stage.cache, concurrency: 4 })
    processor = processor.use(remarkRunnable, { runner, live: false, highlight: false })
  }
  const highlight = stage.kind === 'plain' && stage.highlight ? [shikiBaseline] : []
  const full = processor.use(remarkRehype, { allowDangerousHtml: true }).use(highlight).use(rehypeStringify, { allowDangerousHtml: true })
  const markdown = await listMarkdown(join(root, 'content'))
  return Promise.all(
    markdown.map(async (path) => {
      const file = await readPost(root, posix.join('content', path))
      file.result = String(await full.process(file))
      return file
    }),
  )
}

/**
 * The host core as the site generators run it (src/adapters/host.ts): every
 * post rendered to HTML, highlighted as `highlight` says, every post in
 * flight at once. `checkContent` makes no HTML, so the rows that weigh
 * highlighting against `@shikijs/rehype` use this.
 */
export async function hostRender(root: string, engine: Engine, highlight: RunnableOptions['highlight']): Promise<void> {
  const host = createRunnableHost({ engine, highlight, live: false, configFile: false }, { cwd: root })
  host.startBuild()
  const markdown = await listMarkdown(join(root, 'content'))
  await Promise.all(
    markdown.map(async (path) => {
      const text = String((await readPost(root, posix.join('content', path))).value)
      const lines = frontMatterLines(text)
      await host.render(text.split('\n').slice(lines).join('\n'), { path: posix.join('content', path), lineOffset: lines })
    }),
  )
  if (host.finishBuild().failed) throw new Error('the warm corpus has failing snippets')
  await host.close()
}

/** A cache store that keeps the given directory's entries in memory (reads only). */
export async function memoryCache(dir: string): Promise<CacheStore> {
  const disk = createCacheStore(dir)
  const entries = new Map<string, CacheEntry>()
  for (const key of await disk.keys()) {
    const read = await disk.read(key)
    if (read.status === 'hit') entries.set(key, read.entry)
  }
  return {
    dir,
    async read(key) {
      const entry = entries.get(key)
      return entry ? { status: 'hit', entry } : { status: 'miss' }
    },
    async write(entry) {
      entries.set(entry.key, entry)
    },
    async keys() {
      return [...entries.keys()]
    },
    async remove(key) {
      entries.delete(key)
    },
  }
}
