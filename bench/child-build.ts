/**
 * One full check (every snippet, no pages) in a fresh process, for peak memory: `child-build.ts ROOT
 * URL CONCURRENCY CACHEDIR`. Prints one JSON line: the build's time and stats, and
 * this process's peak RSS (process.resourceUsage().maxRSS, KB).
 */
import { createPistonEngine } from '../src/execution/piston-client.js'
import { checkContent } from '../src/cli/check-content.js'

const [root, url, concurrency, cacheDir] = process.argv.slice(2)
if (!root || !url) throw new Error('usage: child-build.ts ROOT URL [CONCURRENCY]')
const engine = createPistonEngine({ url })
const t0 = performance.now()
const result = await checkContent({ root, engine, concurrency: Number(concurrency ?? 4), cacheDir: cacheDir ?? 'cache' })
const ms = performance.now() - t0
await engine.close()
const errors = result.files.reduce((n, f) => n + f.messages.filter((m) => m.fatal).length, 0)
const peakHeapMb = process.memoryUsage().heapUsed / 2 ** 20
console.log(JSON.stringify({ result: { ms, stats: result.stats, errors, heapUsedAtEndMb: peakHeapMb }, maxRssKb: process.resourceUsage().maxRSS }))
