import { createHash } from 'node:crypto'
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join, posix, resolve } from 'node:path'
import rehypeStringify from 'rehype-stringify'
import remarkFrontmatter from 'remark-frontmatter'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'
import type { VFile } from 'vfile'
import { createCacheStore } from '../cache/store.js'
import { createRunner, type RunnerStats } from '../execution/runner.js'
import type { Engine } from '../execution/types.js'
import remarkRunnable from '../markdown/plugin.js'
import { hasErrors, report } from '../markdown/rules.js'
import { stylesheetPath } from '../render/assets.js'
import type { OutcomeContext } from '../render/outcome.js'
import remarkPostMeta from './front-matter.js'
import { byDateDesc, indexPage, type PostPage, postPage, type SiteInfo } from './layout.js'
import { liveScript } from './live-script.js'
import { listFiles, readPost, slugFromPath } from './posts.js'

/** Options of one site build. Paths are relative to `root`. */
export interface BuildOptions {
  /** Project folder. Default: the current directory. */
  root?: string
  /** Default `content`. */
  contentDir?: string
  /** Default `dist`. */
  outDir?: string
  /** Default `cache`. */
  cacheDir?: string
  engine: Engine
  /** Jobs in flight at once for the whole build. Default 4. */
  concurrency?: number
  /** Run every snippet again. Default false. */
  refresh?: boolean
  /** Use only the committed cache; never contact the engine. Default false. */
  frozen?: boolean
  /** Delete cache entries that no snippet references. Default false. */
  prune?: boolean
  /** Write `dist/`; false for a check that only runs and reports. Default true. */
  write?: boolean
  /** Write no new result to the cache either: a check writes nothing. Default false. */
  readOnly?: boolean
  /** Publish posts marked `draft: true` (their snippets run either way). Default false. */
  drafts?: boolean
  /** Default "Runnable blog". */
  siteTitle?: string
  /** Public API root readers' browsers may call; no live runs without it. */
  liveEndpoint?: string
  /** The Piston server's limits, for the words shown about them. Default: Piston's (3 s run, 10 s compile, 1024 characters). */
  limits?: OutcomeContext
  onProgress?: (stats: RunnerStats) => void
}

export interface BuildResult {
  /** Every post, with its messages and `data.snippets`. */
  files: VFile[]
  stats: RunnerStats
  /** Cache entries no snippet references (removed when `prune`). */
  orphans: string[]
}

/** Builds the blog: every post is processed at once, sharing one runner. */
export async function buildSite(options: BuildOptions): Promise<BuildResult> {
  const root = options.root ?? process.cwd()
  const contentDir = options.contentDir ?? 'content'
  const cache = createCacheStore(resolve(root, options.cacheDir ?? 'cache'))
  const runner = createRunner({
    engine: options.engine,
    cache,
    concurrency: options.concurrency,
    refresh: options.refresh,
    frozen: options.frozen,
    readOnly: options.readOnly,
    onProgress: options.onProgress,
  })
  const live = options.liveEndpoint !== undefined
  const processor = unified()
    .use(remarkParse)
    .use(remarkFrontmatter)
    .use(remarkPostMeta)
    .use(remarkRunnable, { runner, live, limits: options.limits })
    .use(remarkRehype)
    .use(rehypeStringify)

  const sources = await listFiles(resolve(root, contentDir))
  const markdown = sources.filter((p) => p.endsWith('.md'))
  // Reads finish together, and their callbacks would parse every post in one
  // long event-loop task, holding back the jobs of the first posts and the
  // answers already in. One parse per loop turn keeps jobs flowing instead.
  let turn = Promise.resolve()
  const files = await Promise.all(
    markdown.map(async (path) => {
      const file = await readPost(root, posix.join(contentDir, path))
      await (turn = turn.then(() => new Promise<void>((resolve) => setImmediate(resolve))))
      file.result = String(await processor.process(file))
      return file
    }),
  )

  const pages = toPages(files, markdown)
  const referenced = runner.referencedKeys()
  const orphans = (await cache.keys()).filter((key) => !referenced.has(key))
  // A fence with errors references no key, so only a clean build may prune.
  if (options.prune && !hasErrors(files)) await Promise.all(orphans.map((key) => cache.remove(key)))

  if (options.write ?? true) {
    const outDir = resolve(root, options.outDir ?? 'dist')
    await writeSite(outDir, pages.filter((p) => options.drafts || !p.meta.draft), {
      title: options.siteTitle ?? 'Runnable blog',
      liveEndpoint: options.liveEndpoint,
      assets: sources.filter((p) => !p.endsWith('.md')).map((p) => ({ from: resolve(root, contentDir, p), to: p })),
    })
  }
  return { files, stats: { ...runner.stats }, orphans }
}

function toPages(files: VFile[], paths: string[]): PostPage[] {
  const seen = new Map<string, string>()
  return files.map((file, i) => {
    const meta = file.data.post!
    const slug = meta.slug ?? slugFromPath(paths[i]!)
    const other = seen.get(slug)
    if (other) report(file, { ruleId: 'front-matter', reason: `slug "${slug}" is also the slug of ${other}`, place: { line: 1, column: 1 } })
    seen.set(slug, file.path)
    return { meta, slug, body: String(file.result), hasLiveSnippets: file.data.snippets?.some((s) => s.live) ?? false }
  })
}

interface WriteOptions {
  title: string
  liveEndpoint?: string
  assets: Array<{ from: string; to: string }>
}

async function writeSite(outDir: string, pages: PostPage[], options: WriteOptions) {
  await rm(outDir, { recursive: true, force: true })
  const css = (await readFile(new URL('./site.css', import.meta.url), 'utf8')) + (await readFile(stylesheetPath, 'utf8'))
  const site: SiteInfo = { title: options.title, stylesheet: await writeHashed(outDir, 'assets/style', 'css', css) }
  // The live runner (issue 4): only with an endpoint, and only if some page can use it.
  if (options.liveEndpoint !== undefined && pages.some((p) => p.hasLiveSnippets)) {
    site.live = { script: await writeHashed(outDir, 'assets/live', 'js', await liveScript()), endpoint: options.liveEndpoint }
  }
  await Promise.all([
    ...pages.map((p) => writeOut(outDir, `${p.slug}/index.html`, postPage(site, p))),
    writeOut(outDir, 'index.html', indexPage(site, [...pages].sort(byDateDesc))),
    ...options.assets.map((a) => writeOut(outDir, a.to, { from: a.from })),
  ])
}

/** Writes text, or copies the file at `from`, to `path` under `outDir`. */
async function writeOut(outDir: string, path: string, text: string | { from: string }) {
  const target = join(outDir, path)
  await mkdir(dirname(target), { recursive: true })
  await (typeof text === 'string' ? writeFile(target, text) : copyFile(text.from, target))
}

/** Writes `name.<hash>.ext` so the asset can be cached forever; returns its URL. */
async function writeHashed(outDir: string, name: string, ext: string, text: string): Promise<string> {
  const path = `${name}.${createHash('sha256').update(text).digest('hex').slice(0, 10)}.${ext}`
  await writeOut(outDir, path, text)
  return `/${path}`
}
