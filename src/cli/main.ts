import { checkContent } from './check-content.js'
import { type CliConfig, readConfig, usage, UsageError } from './config.js'
import { reportToGitHub } from '../report/github.js'
import { progressLine } from './progress.js'
import { plural, ranLines } from '../report/format.js'
import { terminalSafe } from '../report/terminal-text.js'

/** Runs the CLI and returns its exit code: 0 good, 1 failed snippets, 2 bad usage. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<number> {
  let config: CliConfig | 'help'
  try {
    config = await readConfig(argv, env, cwd)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    console.error(terminalSafe(`runnable-blog: ${error.message}\n(runnable-blog --help lists commands and options)`))
    return 2
  }
  if (config === 'help') {
    console.log(usage)
    return 0
  }
  // Loaded for its command only: `check` need not load its Markdown stages.
  if (config.command === 'runtimes') return (await import('./runtimes-command.js')).listRuntimes(config)
  return check(config, env)
}

/** `check` (writes nothing) and `update` (stores new results): every snippet of the content, reported; no pages. */
async function check(config: CliConfig, env: NodeJS.ProcessEnv): Promise<number> {
  const progress = progressLine(process.stderr)
  const { timeoutMs, compileTimeoutMs, outputMaxSize } = config.limits
  const result = await checkContent({
    root: config.root,
    contentDirs: config.contentDirs,
    engine: config.engine,
    pistonUrl: config.pistonUrl,
    token: config.pistonToken,
    cacheDir: config.cacheDir,
    concurrency: config.concurrency,
    limits: { runTimeout: timeoutMs, compileTimeout: compileTimeoutMs, outputMaxSize },
    frozen: config.frozen,
    refresh: config.refresh,
    readOnly: config.command === 'check',
    prune: config.prune,
    onProgress: progress.update,
  })
  progress.done()
  for (const line of result.problems) console.error(line)
  if (config.verbose) for (const line of ranLines(result.files)) console.error(line)
  const { orphans, hidden } = result
  if (orphans.length) {
    const why = hidden.length ? 'your site generator may run snippets check cannot see' : 'some snippets failed'
    console.error(
      result.pruned
        ? `removed ${plural(orphans.length, 'unused cache entry', 'unused cache entries')}`
        : `${plural(orphans.length, 'cache entry', 'cache entries')} no snippet uses${config.prune ? ` (not pruned: ${why})` : `; remove ${orphans.length === 1 ? 'it' : 'them'} with update --prune`}`,
    )
    if (config.prune && hidden.length) for (const spot of hidden) console.error(terminalSafe(`  ${spot}`))
  }
  // Said on every run, not only on prune: a check that passes has not seen what runs there.
  if (hidden.length && !(config.prune && orphans.length)) {
    console.error(`${plural(hidden.length, 'place')} only your site generator's build can check:`)
    for (const spot of hidden) console.error(`  ${spot}`)
  }
  console.error(result.summary)
  await reportToGitHub(result.files, env)
  return result.failed ? 1 : 0
}
