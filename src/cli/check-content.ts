import { posix, resolve } from 'node:path'
import { createRunnableHost, type BuildReport } from '../adapters/host.js'
import type { RunnableOptions } from '../adapters/options.js'
import type { RunnerStats } from '../execution/runner.js'
import { frontMatterLines } from '../markdown/front-matter.js'
import { listMarkdown, readPost } from './content-files.js'

/** What `check` needs: where the content is, and the host options (engine, cache, limits...). */
export interface CheckContentOptions extends Omit<RunnableOptions, 'configFile' | 'live'> {
  /** Project folder; `contentDir` and a relative `cacheDir` are taken from it. Default: the current directory. */
  root?: string
  /** Default `content`. */
  contentDir?: string
  /** Delete cache entries that no snippet uses, when nothing failed. Default false. */
  prune?: boolean
}

export interface CheckContentResult extends BuildReport {
  stats: RunnerStats
  /** Cache entries no snippet references (removed when `prune` and nothing failed). */
  orphans: string[]
  pruned: boolean
}

/** Runs (or, frozen, looks up) every snippet under the content folder, writing no pages. */
export async function checkContent({ root = process.cwd(), contentDir = 'content', prune = false, ...options }: CheckContentOptions): Promise<CheckContentResult> {
  const host = createRunnableHost({ ...options, live: false, configFile: false }, { cwd: root })
  try {
    host.startBuild()
    const paths = await listMarkdown(resolve(root, contentDir))
    // Reads finish together, and their callbacks would parse every post in one
    // long event-loop task, holding back the jobs of the first posts and the
    // answers already in. One parse per loop turn keeps jobs flowing instead.
    let turn = Promise.resolve()
    await Promise.all(
      paths.map(async (path) => {
        const file = await readPost(root, posix.join(contentDir, path))
        await (turn = turn.then(() => new Promise<void>((resolve) => setImmediate(resolve))))
        const text = String(file.value)
        const lines = frontMatterLines(text)
        await host.render(text.split('\n').slice(lines).join('\n'), { path: file.path, lineOffset: lines })
      }),
    )
    const report = host.finishBuild()
    const orphans = await host.unusedCacheEntries()
    // A fence with errors references no key, so only a clean check may prune.
    const pruned = prune && !report.failed
    if (pruned) await host.removeCacheEntries(orphans)
    return { ...report, stats: host.stats(), orphans, pruned }
  } finally {
    await host.close()
  }
}
