import { posix, resolve } from 'node:path'
import { frontMatterLines } from '../markdown/front-matter.js'
import { createRunnableHost } from '../adapters/host.js'
import { listMarkdown, readPost } from './content-files.js'
import { type CliConfig, readConfig, usage, UsageError } from './config.js'
import { reportToGitHub } from './github.js'
import { progressLine } from './progress.js'
import { plural } from './report.js'
import { listRuntimes } from './runtimes-command.js'

/** Runs the CLI and returns its exit code: 0 good, 1 failed snippets, 2 bad usage. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<number> {
  let config: CliConfig | 'help'
  try {
    config = await readConfig(argv, env, cwd)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    console.error(`runnable-blog: ${error.message}\n(runnable-blog --help lists commands and options)`)
    return 2
  }
  if (config === 'help') {
    console.log(usage)
    return 0
  }
  if (config.command === 'runtimes') return listRuntimes(config)
  return check(config, env)
}

/** Runs (or, frozen, looks up) every snippet of the content and reports; writes no pages. */
async function check(config: CliConfig, env: NodeJS.ProcessEnv): Promise<number> {
  const progress = progressLine(process.stderr)
  const { timeoutMs, compileTimeoutMs, outputMaxSize } = config.limits
  const host = createRunnableHost({
    engine: config.engine,
    pistonUrl: config.pistonUrl,
    token: config.pistonToken,
    cacheDir: resolve(config.root, config.cacheDir),
    concurrency: config.concurrency,
    limits: { runTimeout: timeoutMs, compileTimeout: compileTimeoutMs, outputMaxSize },
    frozen: config.frozen,
    refresh: config.refresh,
    live: false,
    configFile: false,
    onProgress: progress.update,
  }, { cwd: config.root, env })
  try {
    host.startBuild()
    const paths = await listMarkdown(resolve(config.root, config.contentDir))
    // Reads finish together, and their callbacks would parse every post in one
    // long event-loop task, holding back the jobs of the first posts and the
    // answers already in. One parse per loop turn keeps jobs flowing instead.
    let turn = Promise.resolve()
    await Promise.all(
      paths.map(async (path) => {
        const file = await readPost(config.root, posix.join(config.contentDir, path))
        await (turn = turn.then(() => new Promise<void>((resolve) => setImmediate(resolve))))
        const text = String(file.value)
        const lines = frontMatterLines(text)
        await host.render(text.split('\n').slice(lines).join('\n'), { path: file.path, lineOffset: lines })
      }),
    )
    progress.done()
    const report = host.finishBuild()
    const orphans = await host.unusedCacheEntries()
    // A fence with errors references no key, so only a clean build may prune.
    const prune = config.prune && !report.failed
    if (prune) await host.removeCacheEntries(orphans)
    for (const line of report.problems) console.error(line)
    if (orphans.length) {
      console.error(
        prune
          ? `removed ${plural(orphans.length, 'unused cache entry', 'unused cache entries')}`
          : `${plural(orphans.length, 'cache entry', 'cache entries')} no snippet uses${config.prune ? ' (not pruned: the check failed)' : '; remove them with --prune'}`,
      )
    }
    console.error(report.summary)
    await reportToGitHub(report.files, env)
    return report.failed ? 1 : 0
  } finally {
    await host.close()
  }
}
