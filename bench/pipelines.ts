/**
 * The builds the benchmark compares. `mirrorBuild` follows `buildSite`
 * (src/site/build.ts) step by step — list and read the same files, the same
 * processor with every post in flight at once, the same pages, the same
 * writes — but lets the bench choose the snippet stage:
 *
 * - `plain`: no snippet plugin at all (the baseline: plain unified pipeline);
 * - `stub`: the plugin with a runner that answers instantly from memory (no
 *   key, no cache): collecting, judging and rendering snippet blocks;
 * - `memory`: the real runner over an in-memory cache: + request
 *   normalisation, SHA-256 keys, dedupe;
 * - `disk`: the real runner over the real cache store: + cache file reads.
 *
 * `buildSite` itself is then the full build (adds the orphan listing). The
 * product code is not instrumented; the differences between these variants,
 * measured back to back, are the breakdown.
 */
import { createHash } from 'node:crypto'
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join, posix } from 'node:path'
import rehypeStringify from 'rehype-stringify'
import remarkFrontmatter from 'remark-frontmatter'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'
import type { VFile } from 'vfile'
import { CACHE_FORMAT } from '../src/cache/key.js'
import { type CacheEntry, type CacheStore, createCacheStore } from '../src/cache/store.js'
import { createRunner, type Runner, type RunOutcome } from '../src/execution/runner.js'
import type { Engine } from '../src/execution/types.js'
import remarkRunnable from '../src/markdown/plugin.js'
import { stylesheetPath } from '../src/render/assets.js'
import remarkPostMeta from '../src/site/front-matter.js'
import { byDateDesc, indexPage, type PostPage, postPage, type SiteInfo } from '../src/site/layout.js'
import { listFiles, readPost, slugFromPath } from '../src/site/posts.js'

export type SnippetStage = { kind: 'plain' } | { kind: 'stub' } | { kind: 'runner'; cache: CacheStore; engine: Engine }

export interface MirrorOptions {
  root: string
  stage: SnippetStage
  /** Write dist/ as buildSite does. */
  write: boolean
  outDir?: string
}

/** What the stub runner answers: a cached hello-world result. */
function stubRunner(): Runner {
  const stats = { total: 0, cached: 0, ran: 0, failed: 0 }
  return {
    run(request): Promise<RunOutcome> {
      stats.total++
      stats.cached++
      const entry: CacheEntry = {
        format: CACHE_FORMAT,
        key: 'stub',
        request,
        response: { language: 'python', version: '3.12.0', run: { stdout: 'Hello, world!\n', stderr: '', output: 'Hello, world!\n', code: 0, signal: null } },
        engine: { kind: 'piston' },
      }
      return Promise.resolve({ ok: true, key: 'stub', source: 'cache', entry })
    },
    stats,
    referencedKeys: () => new Set(),
  }
}

export async function mirrorBuild(options: MirrorOptions): Promise<VFile[]> {
  const { root, stage } = options
  let processor = unified().use(remarkParse).use(remarkFrontmatter).use(remarkPostMeta)
  if (stage.kind !== 'plain') {
    const runner = stage.kind === 'stub' ? stubRunner() : createRunner({ engine: stage.engine, cache: stage.cache, concurrency: 4 })
    processor = processor.use(remarkRunnable, { runner, live: false })
  }
  const full = processor.use(remarkRehype).use(rehypeStringify)
  const sources = await listFiles(join(root, 'content'))
  const markdown = sources.filter((p) => p.endsWith('.md'))
  const files = await Promise.all(
    markdown.map(async (path) => {
      const file = await readPost(root, posix.join('content', path))
      file.result = String(await full.process(file))
      return file
    }),
  )
  if (options.write) {
    const pages: PostPage[] = files.map((file, i) => ({
      meta: file.data.post!,
      slug: file.data.post!.slug ?? slugFromPath(markdown[i]!),
      body: String(file.result),
      hasLiveSnippets: file.data.snippets?.some((s) => s.live) ?? false,
    }))
    await writeSite(join(root, options.outDir ?? 'dist'), pages.filter((p) => !p.meta.draft), 'Runnable blog')
  }
  return files
}

/** buildSite's writeSite, verbatim in effect (no live runner, no extra assets in the corpus). */
async function writeSite(outDir: string, pages: PostPage[], title: string) {
  await rm(outDir, { recursive: true, force: true })
  const css = (await readFile(new URL('../src/site/site.css', import.meta.url), 'utf8')) + (await readFile(stylesheetPath, 'utf8'))
  const path = `assets/style.${createHash('sha256').update(css).digest('hex').slice(0, 10)}.css`
  await writeOut(outDir, path, css)
  const site: SiteInfo = { title, stylesheet: `/${path}` }
  await Promise.all([
    ...pages.map((p) => writeOut(outDir, `${p.slug}/index.html`, postPage(site, p))),
    writeOut(outDir, 'index.html', indexPage(site, [...pages].sort(byDateDesc))),
  ])
}

async function writeOut(outDir: string, path: string, text: string | { from: string }) {
  const target = join(outDir, path)
  await mkdir(dirname(target), { recursive: true })
  await (typeof text === 'string' ? writeFile(target, text) : copyFile(text.from, target))
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
