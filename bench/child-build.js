/**
 * One full check (every snippet, no pages) in a fresh process, as users run
 * it (compiled JavaScript in lib/), for peak memory:
 * `child-build.js ROOT URL CONCURRENCY CACHEDIR`. Prints one JSON line: the
 * check's time and stats, and this process's peak RSS
 * (process.resourceUsage().maxRSS, KB).
 */
import { checkContent } from '../lib/cli/check-content.js'
import { createPistonEngine } from '../lib/execution/piston-client.js'

const [root, url, concurrency, cacheDir] = process.argv.slice(2)
if (!root || !url) throw new Error('usage: child-build.js ROOT URL [CONCURRENCY] [CACHEDIR]')
const engine = createPistonEngine({ url })
const t0 = performance.now()
const result = await checkContent({ root, engine, concurrency: Number(concurrency ?? 4), cacheDir: cacheDir ?? 'cache' })
// The check has closed the engine.
const ms = performance.now() - t0
const errors = result.files.reduce((n, f) => n + f.messages.filter((m) => m.fatal).length, 0)
console.log(JSON.stringify({ result: { ms, stats: result.stats, errors, heapUsedAtEndMb: process.memoryUsage().heapUsed / 2 ** 20 }, maxRssKb: process.resourceUsage().maxRSS }))
