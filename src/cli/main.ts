import { createLocalEngine } from '../execution/local-engine.js'
import { createPistonEngine } from '../execution/piston-client.js'
import type { Engine } from '../execution/types.js'
import { hasErrors } from '../markdown/rules.js'
import { buildSite } from '../site/build.js'
import { type CliConfig, readConfig, usage, UsageError } from './config.js'
import { reportToGitHub } from './github.js'
import { progressLine } from './progress.js'
import { formatMessages, plural, ranLines, summaryLine, tally } from './report.js'
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

  const engine = makeEngine(config)
  const progress = progressLine(process.stderr)
  try {
    const result = await buildSite({
      root: config.root,
      contentDir: config.contentDir,
      outDir: config.outDir,
      cacheDir: config.cacheDir,
      engine,
      concurrency: config.concurrency,
      refresh: config.refresh,
      frozen: config.frozen,
      prune: config.prune,
      write: config.command === 'build',
      readOnly: config.command === 'check',
      drafts: config.drafts,
      siteTitle: config.siteTitle,
      liveEndpoint: config.liveEndpoint,
      limits: config.limits,
      onProgress: progress.update,
    })
    progress.done()
    for (const line of formatMessages(result.files)) console.error(line)
    if (config.verbose) for (const line of ranLines(result.files)) console.error(line)
    const failed = hasErrors(result.files)
    if (result.files.some((f) => f.messages.some((m) => m.ruleId === 'engine-failed'))) console.error(engineAdvice(config))
    if (result.orphans.length) {
      console.error(
        config.prune && !failed
          ? `removed ${plural(result.orphans.length, 'unused cache entry', 'unused cache entries')}`
          : `${plural(result.orphans.length, 'cache entry', 'cache entries')} no snippet uses${config.prune ? ' (not pruned: the build failed)' : '; remove them with --prune'}`,
      )
    }
    console.error(summaryLine(tally(result.files)))
    await reportToGitHub(result.files, env)
    // Written even when snippets failed: the pages show what went wrong.
    if (config.command === 'build') console.error(`wrote ${config.outDir}/${failed ? ' (with the failures above)' : ''}`)
    return failed ? 1 : 0
  } finally {
    await engine.close()
  }
}

function makeEngine(config: CliConfig): Engine {
  if (config.engine === 'local') {
    // The local engine plays the configured server, limits included.
    const { timeoutMs, compileTimeoutMs, outputMaxSize } = config.limits
    return createLocalEngine({ runTimeoutMs: timeoutMs, compileTimeoutMs, outputMaxSize })
  }
  return createPistonEngine({ url: config.pistonUrl, token: config.pistonToken })
}

function engineAdvice(config: CliConfig): string {
  return config.engine === 'local'
    ? 'The local engine could not run some snippets: check that their interpreters are installed.'
    : `Some snippets could not run on Piston at ${new URL(config.pistonUrl).host}. Start Piston (see README), set PISTON_URL or --piston-url, or build with --engine local (runs on this machine; not a sandbox).`
}
