import { createRunnableHost, type BuildReport } from '../adapters/host.js'
import type { RunnableOptions } from '../adapters/options.js'
import type { RunnerStats } from '../execution/runner.js'
import { frontMatterLines } from '../markdown/front-matter.js'
import { listContent, readPost } from './content-files.js'
import { markdownTemplating, templateBlindSpots } from './template-blind-spots.js'
import { templateSnippets } from './template-snippets.js'
import { shortcodeCall } from '../adapters/eleventy/shortcode.js'

/** What `check` needs: where the content is, and the host options (engine, cache, limits...). */
export interface CheckContentOptions extends Omit<RunnableOptions, 'configFile' | 'live' | 'highlight'> {
  /** Project folder; `contentDirs` and a relative `cacheDir` are taken from it. Default: the current directory. */
  root?: string
  /** The folders of the posts (Markdown and MDX). Default `['content']`. */
  contentDirs?: readonly string[]
  /** Delete cache entries that no snippet uses, when nothing failed. Default false. */
  prune?: boolean
}

export interface CheckContentResult extends BuildReport {
  stats: RunnerStats
  /** Cache entries no snippet references (removed when `prune`, nothing failed and nothing is hidden from check). */
  orphans: string[]
  pruned: boolean
  /** Places only the site generator sees (`path:line: reason`); they keep `prune` from pruning. */
  hidden: string[]
}

/** Runs (or, frozen, looks up) every snippet under the content folder, writing no pages. */
export async function checkContent({ root = process.cwd(), contentDirs = ['content'], prune = false, ...options }: CheckContentOptions): Promise<CheckContentResult> {
  // No page is written, so colouring code would be work for nothing.
  const host = createRunnableHost({ ...options, highlight: false, live: false, configFile: false }, { cwd: root })
  try {
    host.startBuild()
    const posts = await Promise.all((await listContent(root, contentDirs)).map((path) => readPost(root, path)))
    // The Eleventy shortcode's calls, in any template or partial: snippets the site's build runs too.
    const templates = await templateSnippets(root, contentDirs)
    const calls = templates.calls.map(({ path, call }) => shortcodeCall(call.args.map((a) => a.value), call.body, { path, call }))
    const templated = markdownTemplating(root)
    // Every job of the site is queued before the first parse: the engine
    // need not wait for the posts that come before the ones with snippets.
    for (const post of posts) host.prefetch(String(post.value))
    for (const call of calls) host.prefetch(call.fence)
    await host.underway()
    await Promise.all([
      ...posts.map((post) => {
        const text = String(post.value)
        post.value = ''
        const lines = frontMatterLines(text)
        return host.check(text.split('\n').slice(lines).join('\n'), { path: post.path, lineOffset: lines, templated: templated(text) })
      }),
      ...calls.map((call) => host.checkCall(call)),
    ])
    const report = host.finishBuild()
    const hidden = [...templateBlindSpots(report.files), ...templates.hidden]
    const orphans = await host.unusedCacheEntries()
    // A fence with errors references no key, so only a clean check may prune;
    // nor one that cannot see every snippet the site builds.
    const pruned = prune && !report.failed && hidden.length === 0
    if (pruned) await host.removeCacheEntries(orphans)
    return { ...report, stats: host.stats(), orphans, pruned, hidden }
  } finally {
    await host.close()
  }
}
