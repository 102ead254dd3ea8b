/**
 * `npm run bench` (quick) / `npm run bench -- --full`: the measurements of
 * BENCHMARKS.md, each reported as ratios taken in the same run. Writes
 * `.bench/results-<mode>.json` (and `.bench/results.json`), prints a
 * Markdown table and puts it into BENCHMARKS.md between the markers of the
 * mode (`--no-md` leaves BENCHMARKS.md alone).
 *
 * Options: --full, --no-md, --seed=N, --only=warm,cold,speedup,incremental,memory,tutorial,tutorial-memory,users,prescan,reader,real,local
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { join } from 'node:path'
import { cacheKey, normalizeRequest } from '../src/cache/key.js'
import { createCacheStore } from '../src/cache/store.js'
import { createRunner, type Runner } from '../src/execution/runner.js'
import remarkRunnable from '../src/markdown/plugin.js'
import { listMarkdown, readPost } from '../src/cli/content-files.js'
import remarkFrontmatter from 'remark-frontmatter'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { createPistonEngine } from '../src/execution/piston-client.js'
import { DEFAULT_CONCURRENCY } from '../src/execution/scheduler.js'
import type { Engine, ExecuteRequest } from '../src/execution/types.js'
import { checkContent, type CheckContentOptions } from '../src/cli/check-content.js'
import { type Corpus, type CorpusStats, editSnippet, generateCorpus, generateRealCorpus, writeCorpus } from './corpus.js'
import { createHelloEngine } from './fake-engine.js'
import { type ChildRun, compare, type Compared, median, pairRatio, range, runChild, type ServerChild, startServerChild, time } from './harness.js'
import { checkProcess, eleventyBuild } from './eleventy/build.js'
import { hostRender, memoryCache, mirrorBuild } from './pipelines.js'
import { readerCost, type ReaderCost } from './reader.js'
import { baselineRows, measureBaselines, type ScaleResult } from './baselines.js'
import { existsSync } from 'node:fs'
import { NODE22, nodeRunsAstro } from '../test/helpers/node22.js'

const argv = process.argv.slice(2)
const full = argv.includes('--full')
const mode = full ? 'full' : 'quick'
const seed = Number(argv.find((a) => a.startsWith('--seed='))?.slice(7) ?? 1)
const only = argv.find((a) => a.startsWith('--only='))?.slice(7).split(',')
const enabled = (name: string) => !only || only.includes(name)

const SIZE = full
  ? { warm: { posts: 200, snippets: 2000 }, cold: { posts: 50, snippets: 500 }, speedup: { posts: 50, snippets: 500 }, memory: { posts: 500, snippets: 5000 }, real: { posts: 50, snippets: 500 }, local: 120, iterations: 7, edits: 5, wholeIterations: 7, coldRuns: 3, tutorial: { posts: 200, snippets: 166, clusterPosts: 30 }, tutorialMemory: { posts: 930, snippets: 5146, clusterPosts: 140 }, users: [{ scale: 1, posts: 200, snippets: 166, clusterPosts: 30, iterations: 7 }, { scale: 10, posts: 2000, snippets: 1660, clusterPosts: 300, iterations: 5 }] }
  : { warm: { posts: 50, snippets: 500 }, cold: { posts: 50, snippets: 500 }, speedup: { posts: 10, snippets: 100 }, memory: { posts: 50, snippets: 500 }, real: { posts: 10, snippets: 100 }, local: 60, iterations: 9, edits: 5, wholeIterations: 7, coldRuns: 3, tutorial: { posts: 40, snippets: 60, clusterPosts: 6 }, tutorialMemory: { posts: 40, snippets: 60, clusterPosts: 6 }, users: [{ scale: 1, posts: 40, snippets: 60, clusterPosts: 6, iterations: 5 }] }
const LATENCY_MS = 100
const SERVER_CAP = 8
/**
 * Real Piston on a 2-core machine (/work/shared/piston-api.md): a python hello
 * world takes ~48 ms alone, and 20 at once take 0.6–0.7 s in all (135–715 ms
 * each) as the cores queue them: 48 ms jobs in 2 slots.
 */
const PISTON_LIKE = { latencyMs: 48, cap: 2 }

const log = (...parts: unknown[]) => console.error(`[bench ${((performance.now() / 1000) | 0).toString().padStart(4)}s]`, ...parts)
const work = await mkdtemp(join(tmpdir(), 'rb-bench-'))
const results: Record<string, unknown> = {
  mode,
  seed,
  date: new Date().toISOString(),
  command: `npm run bench${full ? ' -- --full' : ''}`,
  machine: { nproc: cpus().length, cpu: cpus()[0]?.model, node: process.version, platform: `${process.platform} ${process.arch}`, loadavgAtStart: loadavg().map((l) => +l.toFixed(2)) },
  sizes: SIZE,
}
const servers: ServerChild[] = []
async function server(latencyMs: number, maxConcurrentJobs: number, engine: 'hello' | 'local' = 'hello') {
  const s = await startServerChild({ latencyMs, maxConcurrentJobs, engine })
  servers.push(s)
  return s
}

async function corpus(name: string, size: { posts: number; snippets: number }, pythonOnly = false, generated?: Corpus): Promise<{ root: string; stats: CorpusStats }> {
  const c = generated ?? generateCorpus({ seed, ...size, pythonOnly })
  const root = join(work, name)
  await writeCorpus(root, c)
  return { root, stats: c.stats }
}

/** Options of one check against the Piston at `url`: a fresh engine each time, since the check closes it. */
const quiet = (url: string, root: string, extra: Partial<CheckContentOptions> = {}): CheckContentOptions => ({
  root,
  engine: createPistonEngine({ url, ...(url === process.env.PISTON_URL && process.env.PISTON_TOKEN ? { token: process.env.PISTON_TOKEN } : {}) }),
  ...extra,
})
/**
 * The warm variants compared in process: the plain pipeline (`plain`), plus
 * @shikijs/rehype on every fence (`shiki`); `check` as the CLI runs it
 * (`build`: it writes no pages, so no highlighting and no HTML); the host
 * core rendering every page as the hosts do, highlighting runnable blocks
 * (`highlighted`, the hosts' default) or every fence (`all`, the same fences
 * `shiki` colours).
 */
const warmInProcess = (root: string, engine: Engine) => ({
  plain: () => mirrorBuild({ root, stage: { kind: 'plain' } }),
  shiki: () => mirrorBuild({ root, stage: { kind: 'plain', highlight: true } }),
  build: () => checkContent({ root, engine }),
  highlighted: () => hostRender(root, engine, {}),
  all: () => hostRender(root, engine, { allFences: true }),
})

/** The whole-process Eleventy builds: without the plugin (`plain`, `shiki`) and with it (`off`: highlight false; `build`: default; `all`: allFences). */
const warmEleventy = (root: string) => ({
  plain: () => eleventyBuild(root, 'plain', 'dist-plain'),
  shiki: () => eleventyBuild(root, 'plain', 'dist-shiki', { BENCH_SHIKI: '1' }),
  off: () => eleventyBuild(root, 'runnable', 'dist-off', { BENCH_HIGHLIGHT: 'off' }),
  build: () => eleventyBuild(root, 'runnable', 'dist-build'),
  all: () => eleventyBuild(root, 'runnable', 'dist-all', { BENCH_HIGHLIGHT: 'all' }),
})

const fatal = (files: { messages: Array<{ fatal?: boolean | null | undefined }> }[]) => files.reduce((n, f) => n + f.messages.filter((m) => m.fatal).length, 0)
const r2 = (n: number) => Math.round(n * 100) / 100
const r3 = (n: number) => Math.round(n * 1000) / 1000
const ms = (n: number) => Math.round(n)

/**
 * One cold check against the server child (`model`: its latency and slots):
 * efficiency by the client's count (executions × latency / slots) and by the
 * server's own job time (the time jobs held a slot, measured in the server
 * process), against the warm bound too; how long after the start the first
 * job reached the server; and the longest event-loop stall, which is how long
 * an answer that has arrived can wait for a parse to end.
 */
async function coldRun(s: ServerChild, root: string, runFences: number, concurrency: number, cacheDir: string, extra: Partial<CheckContentOptions> = {}, model = { latencyMs: LATENCY_MS, cap: SERVER_CAP }) {
  await s.reset()
  const before = (await s.stats()).executions
  const started = performance.timeOrigin + performance.now()
  const lag = monitorEventLoopDelay({ resolution: 10 })
  lag.enable()
  const t = await time(() => checkContent(quiet(s.url, root, { concurrency, cacheDir, ...extra })))
  lag.disable()
  const { executions: after, jobs } = await s.stats()
  // The same check warm, right after: a cold build cannot beat it, however fast the jobs.
  const warm = await time(() => checkContent(quiet(s.url, root, { concurrency, cacheDir, frozen: true, ...extra })))
  await rm(join(root, cacheDir), { recursive: true, force: true })
  const executions = after - before
  const slots = Math.min(concurrency, model.cap)
  const ideal = (executions * model.latencyMs) / slots
  return {
    concurrency, serverCap: model.cap, latencyMs: model.latencyMs, loopStallMaxMs: ms(lag.max / 1e6), measuredMs: ms(t.wall), cpuMs: ms(t.cpu), idealMs: ms(ideal), efficiency: r3(ideal / t.wall),
    serverEfficiency: r3(jobs.busyMs / slots / t.wall), serverJobMs: ms(jobs.busyMs), warmMs: ms(warm.wall), boundEfficiency: r3(Math.max(jobs.busyMs / slots, warm.wall) / t.wall), firstJobAfterMs: ms(jobs.firstStart - started), lastJobEndedBeforeEndMs: ms(started + t.wall - jobs.lastEnd),
    executions, stats: t.value.stats, runFences, errors: fatal(t.value.files),
  }
}

/** A cold Eleventy build (whole process) and the same build warm right after, timed at the server as `coldRun` is. */
async function coldEleventyRun(s: ServerChild, root: string, cacheDir: string, concurrency: number, model = { latencyMs: LATENCY_MS, cap: SERVER_CAP }) {
  await s.reset()
  const before = (await s.stats()).executions
  const started = performance.timeOrigin + performance.now()
  // Cold for the render cache too, as a fresh checkout is; the warm build right after has it.
  const env = { BENCH_CACHE: join(root, cacheDir), BENCH_CONCURRENCY: String(concurrency), RUNNABLE_RENDER_CACHE: join(root, `${cacheDir}-render`) }
  const cold = await time(() => eleventyBuild(root, 'runnable', 'dist-cold', { ...env, RUNNABLE_FROZEN: '', PISTON_URL: s.url }))
  const { executions, jobs } = await s.stats()
  const warm = await time(() => eleventyBuild(root, 'runnable', 'dist-cold', env))
  await Promise.all([cacheDir, `${cacheDir}-render`].map((dir) => rm(join(root, dir), { recursive: true, force: true })))
  const slots = Math.min(concurrency, model.cap)
  return {
    concurrency, serverCap: model.cap, latencyMs: model.latencyMs, measuredMs: ms(cold.wall), executions: executions - before, serverEfficiency: r3(jobs.busyMs / slots / cold.wall),
    warmMs: ms(warm.wall), boundEfficiency: r3(Math.max(jobs.busyMs / slots, warm.wall) / cold.wall), firstJobAfterMs: ms(jobs.firstStart - started),
    // From the first job on: how full the slots stayed once Eleventy had listed its pages (no job can start before, or a draft would cost one).
    fromFirstJob: r3((jobs.firstStart - started + jobs.busyMs / slots) / cold.wall),
  }
}
type ColdEleventyRun = Awaited<ReturnType<typeof coldEleventyRun>>

/** Peak RSS of a cold check, a warm check and the plain pipeline, each in a fresh process (compiled JS). */
async function memoryRuns(root: string) {
  const s = await server(10, 16)
  const cold = await runChild<{ ms: number; stats: unknown; errors: number }>('./child-build.js', [root, s.url, '16', 'cache-memory'])
  const warm = await runChild<{ ms: number; stats: unknown; errors: number }>('./child-build.js', [root, s.url, '16', 'cache-memory'])
  const plain = await runChild<{ ms: number }>('./plain-check.js', [root])
  return { cold, warm, plain, coldRatio: r2(cold.maxRssMb / plain.maxRssMb), warmRatio: r2(warm.maxRssMb / plain.maxRssMb) }
}

try {
  // ---- 1. Warm-build overhead --------------------------------------------
  const warmCorpus = await corpus('warm', SIZE.warm)
  results.corpus = warmCorpus.stats
  const fillServer = await server(0, 64)
  if (enabled('warm') || enabled('incremental') || enabled('reader') || enabled('memory')) {
    log(`filling the cache of the ${SIZE.warm.snippets}-snippet corpus`)
    const filled = await checkContent(quiet(fillServer.url, warmCorpus.root, { concurrency: 16 }))
    if (fatal(filled.files)) throw new Error(`the corpus has ${fatal(filled.files)} errors: ${filled.files.flatMap((f) => f.messages.map(String)).slice(0, 5).join('\n')}`)
  }

  if (enabled('warm')) {
    const root = warmCorpus.root
    const cacheDir = join(root, 'cache')
    const memory = await memoryCache(cacheDir)
    const disk = createCacheStore(cacheDir)
    const engine = createHelloEngine()
    log('warm build vs plain pipeline, check-only (no writes)')
    const check: Compared = await compare(
      {
        ...warmInProcess(root, engine),
        stub: () => mirrorBuild({ root, stage: { kind: 'stub' } }),
        memory: () => mirrorBuild({ root, stage: { kind: 'runner', cache: memory, engine } }),
        disk: () => mirrorBuild({ root, stage: { kind: 'runner', cache: disk, engine } }),
      },
      'plain',
      SIZE.iterations,
    )
    log('warm Eleventy build with the plugin vs the same Eleventy without it, whole process, writing the site')
    const written: Compared = await compare(warmEleventy(root), 'plain', SIZE.iterations, 1)
    log('warm `runnable-blog check` vs the plain remark pipeline, whole process')
    const checkWhole: Compared = await compare({ plain: () => checkProcess(root, 'plain'), build: () => checkProcess(root, 'runnable') }, 'plain', SIZE.wholeIterations, 1)
    if (engine.calls !== 0) throw new Error(`a warm build called the engine ${engine.calls} times`)

    // Isolated costs of the two per-snippet steps, for scale.
    const requests: ExecuteRequest[] = []
    const recordingRunner = createRunner({ engine, cache: memory })
    const spy: Runner = { ...recordingRunner, run: (r) => (requests.push(r), recordingRunner.run(r)) }
    // Collect the requests exactly as the plugin makes them.
    const collector = unified().use(remarkParse).use(remarkFrontmatter).use(remarkRunnable, { runner: spy, live: false })
    for (const path of await listMarkdown(join(root, 'content'))) {
      const file = await readPost(root, `content/${path}`)
      await collector.run(collector.parse(file), file)
    }
    const hashRounds = 20
    const hashing = await time(async () => {
      for (let i = 0; i < hashRounds; i++) for (const r of requests) cacheKey(normalizeRequest(r))
    })
    const keys = [...new Set(requests.map((r) => cacheKey(normalizeRequest(r))))]
    const reads: number[] = []
    for (let i = 0; i < 5; i++) reads.push((await time(() => Promise.all(keys.map((k) => disk.read(k))))).wall)
    const plainMs = check.medians.plain!.wall
    results.warm = {
      check,
      written,
      checkWhole,
      isolated: {
        requests: requests.length,
        hashingAllMs: r2(hashing.wall / hashRounds),
        readingAllEntriesMs: r2(median(reads)),
        hashingShareOfPlain: r3(hashing.wall / hashRounds / plainMs),
        readingShareOfPlain: r3(median(reads) / plainMs),
      },
    }
    log('warm', JSON.stringify({ check: check.ratios, written: written.ratios }))
  }

  // ---- 2. Cold-build efficiency -------------------------------------------
  if (enabled('cold')) {
    const coldCorpus = SIZE.cold.snippets === SIZE.warm.snippets ? warmCorpus : await corpus('cold', SIZE.cold)
    const s = await server(LATENCY_MS, SERVER_CAP)
    const runs: Array<Record<string, unknown>> = []
    let n = 0
    for (const concurrency of [...Array<number>(SIZE.coldRuns).fill(SERVER_CAP), DEFAULT_CONCURRENCY, 16]) {
      log(`cold build, concurrency ${concurrency}, server cap ${SERVER_CAP}, ${LATENCY_MS} ms per job`)
      runs.push(await coldRun(s, coldCorpus.root, coldCorpus.stats.runFences, concurrency, `cache-cold-${n++}`))
    }
    const main = runs.filter((r) => r.concurrency === SERVER_CAP)
    results.cold = { runs, efficiency: median(main.map((r) => r.efficiency as number)), serverEfficiency: median(main.map((r) => r.serverEfficiency as number)), corpus: coldCorpus.stats }
    log('cold', JSON.stringify(runs.map((r) => [r.concurrency, r.efficiency])))
  }

  if (enabled('speedup')) {
    const c = await corpus('speedup', SIZE.speedup)
    const s = await server(LATENCY_MS, SERVER_CAP)
    const sweep: Array<{ concurrency: number; ms: number; executions: number; speedup?: number; efficiency?: number }> = []
    for (const concurrency of [1, 2, 4, 8, 16]) {
      const before = (await s.stats()).executions
      log(`speed-up sweep: concurrency ${concurrency} on ${SIZE.speedup.snippets} snippets`)
      const t = await time(() => checkContent(quiet(s.url, c.root, { concurrency, cacheDir: `cache-c${concurrency}` })))
      const executions = (await s.stats()).executions - before
      sweep.push({ concurrency, ms: ms(t.wall), executions, efficiency: r3((executions * LATENCY_MS) / Math.min(concurrency, SERVER_CAP) / t.wall) })
    }
    for (const row of sweep) row.speedup = r2(sweep[0]!.ms / row.ms)
    results.speedup = { sweep, serverCap: SERVER_CAP, latencyMs: LATENCY_MS, corpus: c.stats }
  }

  // ---- 3. Incremental rebuild --------------------------------------------
  if (enabled('incremental')) {
    const root = warmCorpus.root
    const s = await server(LATENCY_MS, SERVER_CAP)
    const files = [...generateCorpus({ seed, ...SIZE.warm }).files.keys()]
    const edits: Array<{ post: string; engineCalls: number; ran: number; ms: number; warmMs: number; ratio: number }> = []
    await checkContent(quiet(s.url, root)) // untimed warm-up
    for (let k = 0; k < SIZE.edits; k++) {
      const post = files[(k * 37) % files.length]!
      const warm = await time(() => checkContent(quiet(s.url, root)))
      const path = join(root, 'content', post)
      await writeFile(path, editSnippet(await readFile(path, 'utf8'), k * 3, `edit ${k}`))
      const before = (await s.stats()).executions
      const inc = await time(() => checkContent(quiet(s.url, root)))
      const engineCalls = (await s.stats()).executions - before
      edits.push({ post, engineCalls, ran: inc.value.stats.ran, ms: ms(inc.wall), warmMs: ms(warm.wall), ratio: r2(inc.wall / warm.wall) })
    }
    results.incremental = { edits, ratio: median(edits.map((e) => e.ratio)), engineCalls: [...new Set(edits.map((e) => e.engineCalls))], latencyMs: LATENCY_MS }
    log('incremental', JSON.stringify(results.incremental))
  }

  // ---- 4. Memory -----------------------------------------------------------
  if (enabled('memory')) {
    const m = full ? await corpus('memory', SIZE.memory) : warmCorpus
    log(`peak RSS: cold and warm check of ${SIZE.memory.snippets} snippets, and the plain pipeline, each in a child process`)
    results.memory = { snippets: SIZE.memory.snippets, posts: SIZE.memory.posts, bytes: m.stats.bytes, ...(await memoryRuns(m.root)) }
    log('memory', JSON.stringify(results.memory))
  }

  // ---- T. The tutorial-shaped corpus ------------------------------------------
  if (enabled('tutorial')) {
    const t = SIZE.tutorial
    const c = await corpus('tutorial', t, false, generateRealCorpus({ seed, ...t }))
    const root = c.root
    log(`tutorial-shaped corpus: ${c.stats.posts} posts, ${c.stats.runFences} run fences in the last ${t.clusterPosts}; filling its cache`)
    const filled = await checkContent(quiet(fillServer.url, root, { concurrency: 16 }))
    if (fatal(filled.files)) throw new Error(`the tutorial corpus has errors: ${filled.files.flatMap((f) => f.messages.filter((m) => m.fatal).map(String)).slice(0, 5).join('\n')}`)
    log('tutorial: warm check vs plain pipeline, in process')
    const engine = createHelloEngine()
    const check: Compared = await compare(warmInProcess(root, engine), 'plain', SIZE.wholeIterations, 1)
    log('tutorial: warm `runnable-blog check` vs plain, whole process')
    const checkWhole: Compared = await compare({ plain: () => checkProcess(root, 'plain'), build: () => checkProcess(root, 'runnable') }, 'plain', SIZE.wholeIterations, 1)
    log('tutorial: warm Eleventy with the plugin vs without, whole process')
    const written: Compared = await compare(warmEleventy(root), 'plain', SIZE.wholeIterations, 1)
    if (engine.calls !== 0) throw new Error(`a warm build called the engine ${engine.calls} times`)
    const s = await server(LATENCY_MS, SERVER_CAP)
    const cold: Array<Awaited<ReturnType<typeof coldRun>>> = []
    for (let i = 0; i < SIZE.coldRuns; i++) {
      log(`tutorial: cold check ${i + 1}/${SIZE.coldRuns}, concurrency ${SERVER_CAP}`)
      cold.push(await coldRun(s, root, c.stats.runFences, SERVER_CAP, `cache-cold-${i}`))
    }
    // The same with jobs as long as real Piston's on a small machine: a job phase comparable to the parse.
    const piston = await server(PISTON_LIKE.latencyMs, PISTON_LIKE.cap)
    const coldPiston: Array<Awaited<ReturnType<typeof coldRun>>> = []
    for (let i = 0; i < SIZE.coldRuns; i++) {
      log(`tutorial: cold check ${i + 1}/${SIZE.coldRuns}, Piston-like server (${PISTON_LIKE.latencyMs} ms jobs, ${PISTON_LIKE.cap} slots), default concurrency`)
      coldPiston.push(await coldRun(piston, root, c.stats.runFences, DEFAULT_CONCURRENCY, `cache-piston-${i}`, {}, PISTON_LIKE))
    }
    // The Eleventy build cold, as a whole process, counted at the server: parse-bound with 100 ms jobs, job-bound Piston-like.
    const coldEleventy: ColdEleventyRun[] = []
    const coldEleventyPiston: ColdEleventyRun[] = []
    for (let i = 0; i < SIZE.coldRuns; i++) {
      log(`tutorial: cold Eleventy build ${i + 1}/${SIZE.coldRuns}, concurrency ${SERVER_CAP}; then Piston-like, default concurrency`)
      coldEleventy.push(await coldEleventyRun(s, root, `cache-eleventy-${i}`, SERVER_CAP))
      coldEleventyPiston.push(await coldEleventyRun(piston, root, `cache-eleventy-piston-${i}`, DEFAULT_CONCURRENCY, PISTON_LIKE))
    }
    results.tutorial = {
      corpus: c.stats,
      check,
      checkWhole,
      written,
      cold,
      coldEfficiency: median(cold.map((r) => r.efficiency)),
      coldServerEfficiency: median(cold.map((r) => r.serverEfficiency)),
      coldPiston,
      coldEleventy,
      coldEleventyPiston,
    }
    log('tutorial', JSON.stringify({ check: check.ratios.build, checkWhole: checkWhole.ratios.build, written: written.ratios.build, cold: cold.map((r) => [r.efficiency, r.serverEfficiency, r.firstJobAfterMs]), coldEleventy, coldEleventyPiston }))
  }

  if (enabled('tutorial-memory')) {
    const m = await corpus('tutorial-memory', SIZE.tutorialMemory, false, generateRealCorpus({ seed, ...SIZE.tutorialMemory }))
    log(`tutorial-shaped corpus: peak RSS on ${m.stats.runFences} snippets in ${m.stats.posts} posts`)
    results.tutorialMemory = { snippets: m.stats.runFences, posts: m.stats.posts, ...(await memoryRuns(m.root)) }
    log('tutorial memory', JSON.stringify(results.tutorialMemory))
  }

  // ---- U. Against the baselines bloggers have (issue 25) -----------------------
  if (enabled('users')) {
    const astro = nodeRunsAstro(process.versions.node) || existsSync(NODE22)
    const scales: ScaleResult[] = []
    for (const size of SIZE.users) {
      const c = await corpus(`users-x${size.scale}`, size, false, generateRealCorpus({ seed, ...size }))
      log(`users' baselines ×${size.scale}: ${c.stats.posts} posts, ${c.stats.runFences} run fences; filling the cache`)
      const filled = await checkContent(quiet(fillServer.url, c.root, { concurrency: 16 }))
      if (fatal(filled.files)) throw new Error(`the tutorial corpus ×${size.scale} has errors`)
      scales.push(await measureBaselines(c.root, size.scale, c.stats.posts, size.iterations, astro, log))
      await rm(c.root, { recursive: true, force: true })
    }
    results.users = { scales, ...(astro ? {} : { astroSkipped: `Astro 7 needs Node >= 22.12 and ${NODE22} is missing (the tests' setup fetches it)` }) }
  }

  // ---- P. The pre-scan, by ablation ---------------------------------------------
  if (enabled('prescan')) {
    const t = SIZE.tutorial
    const c = await corpus('prescan', t, false, generateRealCorpus({ seed, ...t }))
    const s = await server(LATENCY_MS, SERVER_CAP)
    // A remark plugin that does nothing turns the pre-scan off (custom plugins might change fences).
    const off: Partial<CheckContentOptions> = { remarkPlugins: [() => () => {}] }
    const pairs: Array<{ with: Awaited<ReturnType<typeof coldRun>>; without: Awaited<ReturnType<typeof coldRun>> }> = []
    for (let i = 0; i < SIZE.coldRuns; i++) {
      log(`pre-scan ablation ${i + 1}/${SIZE.coldRuns}: cold check of the tutorial corpus with and without it`)
      const first = i % 2 === 0
      const a = await coldRun(s, c.root, c.stats.runFences, SERVER_CAP, `cache-a-${i}`, first ? {} : off)
      const b = await coldRun(s, c.root, c.stats.runFences, SERVER_CAP, `cache-b-${i}`, first ? off : {})
      pairs.push(first ? { with: a, without: b } : { with: b, without: a })
    }
    results.prescan = { corpus: c.stats, pairs }
    log('prescan', JSON.stringify(pairs.map((p) => [p.with.serverEfficiency, p.without.serverEfficiency, p.with.firstJobAfterMs, p.without.firstJobAfterMs])))
  }

  // ---- 5. Reader cost ------------------------------------------------------
  if (enabled('reader')) {
    const s = await server(0, 64)
    await checkContent(quiet(s.url, warmCorpus.root))
    await eleventyBuild(warmCorpus.root, 'runnable', 'dist-reader', { RUNNABLE_LIVE_ENDPOINT: s.url })
    const slug = [...generateCorpus({ seed, ...SIZE.warm }).files.keys()][0]!.replace(/\.md$/, '')
    const reader: ReaderCost = await readerCost(join(warmCorpus.root, 'dist-reader'), slug, async () => (await s.stats()).requests)
    results.reader = reader
    log('reader', JSON.stringify({ css: reader.cssGzipBytes, js: reader.jsGzipBytes, piston: reader.pistonRequests, method: reader.method }))
  }

  // ---- 6. A real engine ----------------------------------------------------
  if (enabled('real')) {
    const url = process.env.PISTON_URL
    if (!url) {
      results.real = { skipped: 'PISTON_URL is not set: no real Piston reachable from this run' }
    } else {
      const c = await corpus('real', SIZE.real)
      log(`real engine: cold build of ${SIZE.real.snippets} snippets against PISTON_URL`)
      const cold = await time(() => checkContent(quiet(url, c.root, {})))
      const warm = await compare({ plain: () => mirrorBuild({ root: c.root, stage: { kind: 'plain' } }), build: () => checkContent(quiet(url, c.root, {})) }, 'plain', 5, 1)
      results.real = { coldMs: ms(cold.wall), stats: cold.value.stats, errors: fatal(cold.value.files), msPerJob: r2(cold.wall / Math.max(1, cold.value.stats.ran)), warm }
    }
  }

  // ---- secondary: the local engine (real interpreters) behind the server ---
  if (enabled('local')) {
    const c = await corpus('local', { posts: Math.max(1, SIZE.local / 10), snippets: SIZE.local }, true)
    const s = await server(0, 64, 'local')
    const rows: Array<{ concurrency: number; ms: number; executions: number; msPerJob: number; speedup?: number }> = []
    for (const concurrency of [1, 2, 4]) {
      const before = (await s.stats()).executions
      log(`local engine (python hello world): concurrency ${concurrency}`)
      const t = await time(() => checkContent(quiet(s.url, c.root, { concurrency, cacheDir: `cache-${concurrency}` })))
      const executions = (await s.stats()).executions - before
      rows.push({ concurrency, ms: ms(t.wall), executions, msPerJob: r2(t.wall / executions) })
    }
    for (const row of rows) row.speedup = r2(rows[0]!.ms / row.ms)
    results.local = { rows, snippets: SIZE.local }
  }
} catch (error) {
  // What was measured before the failure is still written, with the failure.
  console.error(error)
  results.failure = error instanceof Error ? error.message : String(error)
  process.exitCode = 1
} finally {
  await Promise.all(servers.map((s) => s.close()))
  await rm(work, { recursive: true, force: true })
}

results.machine = { ...(results.machine as object), loadavgAtEnd: loadavg().map((l) => +l.toFixed(2)) }
const table = markdown(results)
await mkdir('.bench', { recursive: true })
await writeFile(`.bench/results-${mode}.json`, JSON.stringify(results, null, 2) + '\n')
await writeFile('.bench/results.json', JSON.stringify(results, null, 2) + '\n')
console.log(table)
if (!argv.includes('--no-md') && !only) await updateBenchmarksMd(table)

// ---------------------------------------------------------------------------

function markdown(res: Record<string, unknown>): string {
  const m = res.machine as { nproc: number; cpu?: string; node: string; platform: string; loadavgAtStart: number[]; loadavgAtEnd: number[] }
  const lines: string[] = [
    `Mode **${mode}** (\`${res.command as string}\`), seed ${seed}, ${res.date as string}.`,
    `Machine: ${m.nproc} × ${m.cpu ?? '?'}, Node ${m.node}, ${m.platform}; load average ${m.loadavgAtStart.join(' ')} at start, ${m.loadavgAtEnd.join(' ')} at end.`,
    '',
  ]
  const c = res.corpus as CorpusStats | undefined
  if (c) {
    lines.push(
      `Corpus: ${c.posts} posts, ${c.runFences} run fences (${c.uniqueJobs} distinct requests, ${c.duplicates} identical to another), ${c.otherFences} other fences, ${c.withStdin} with stdin, ${c.withArgs} with args, ${c.withPrepend} with hidden prepends, ${c.withOutputFence} with output fences; ${c.words.toLocaleString('en')} words, ${(c.bytes / 1024).toFixed(0)} KiB of Markdown.`,
      '',
    )
  }
  if (res.failure) lines.push(`**The run failed** (the rows below are what was measured before): ${res.failure as string}`, '')
  lines.push('| # | measurement | result | target | met |', '| --- | --- | --- | --- | --- |')
  const row = (n: string, what: string, result: string, target = '', met?: boolean) => lines.push(`| ${n} | ${what} | ${result} | ${target} | ${met === undefined ? '' : met ? 'yes' : '**no**'} |`)
  const x = (n: number) => `${n.toFixed(2)}×`
  const ratioRow = (n: string, what: string, c: Compared, cpu = true, variant = 'build', baseline = 'plain') => {
    const r = pairRatio(c, variant, baseline)
    row(n, what, `wall ${x(r.wall)}${cpu ? `, CPU ${x(r.cpu)}` : ''} (${baseline} ${ms(c.medians[baseline]!.wall)} ms, ${variant} ${ms(c.medians[variant]!.wall)} ms; median of ${c.iterations} paired runs, range ${range(c, 'wall', variant, baseline)})`, '≤ 1.10', r.wall <= 1.1)
  }
  // Issue 12's rows (neither side highlights), then issue 13's (both do); the variants are warmInProcess's and warmEleventy's.
  const warmRows = (n: string, inProcess: Compared, checkWhole: Compared, eleventy: Compared) => {
    ratioRow(n, 'warm `check` / plain pipeline, in process (`check` writes no pages: it highlights nothing and makes no HTML)', inProcess)
    ratioRow(n, 'warm `runnable-blog check --frozen` / plain remark pipeline (whole process, compiled JS)', checkWhole, false)
    ratioRow(n, 'warm Eleventy with the plugin, `highlight: false` / the same Eleventy and unified setup without it (whole process)', eleventy, false, 'off', 'plain')
    ratioRow(n, 'warm host core highlighting runnable blocks (the default) / plain + @shikijs/rehype on every fence, in process', inProcess, true, 'highlighted', 'shiki')
    ratioRow(n, 'warm host core highlighting every fence (`allFences`) / plain + @shikijs/rehype, in process', inProcess, true, 'all', 'shiki')
    ratioRow(n, 'warm Eleventy with the plugin (default highlighting) / without it, + @shikijs/rehype (whole process)', eleventy, false, 'build', 'shiki')
    ratioRow(n, 'warm Eleventy with the plugin, `allFences` / without it, + @shikijs/rehype (whole process)', eleventy, false, 'all', 'shiki')
  }
  const warm = res.warm as { check: Compared; written: Compared; checkWhole: Compared; isolated: Record<string, number> } | undefined
  if (warm) {
    const { check, written } = warm
    warmRows('1', check, warm.checkWhole, written)
    const step = (a: string, b: string) => `${((check.ratios[a]!.wall - check.ratios[b]!.wall) * 100).toFixed(1)}% wall, ${((check.ratios[a]!.cpu - check.ratios[b]!.cpu) * 100).toFixed(1)}% CPU`
    row('1a', 'extra: collecting, judging, rendering snippet blocks (stub runner − plain)', step('stub', 'plain'), 'of plain')
    row('1b', 'extra: normalising + hashing requests, dedupe (in-memory cache − stub)', step('memory', 'stub'), 'of plain')
    row('1c', 'extra: reading cache files (disk cache − in-memory cache)', step('disk', 'memory'), 'of plain')
    row('1d', 'extra: rest of check: listing cache/ for orphans, less the HTML it does not make (checkContent − disk)', step('build', 'disk'), 'of plain')
    row('1f', 'extra: a host\'s pages, highlighted: HTML and Shiki on runnable blocks (host core rendering − check)', step('highlighted', 'build'), 'of plain')
    row('1e', `isolated: hashing all ${warm.isolated.requests} requests / reading all entries`, `${warm.isolated.hashingAllMs} ms (${(warm.isolated.hashingShareOfPlain! * 100).toFixed(1)}% of plain) / ${warm.isolated.readingAllEntriesMs} ms (${(warm.isolated.readingShareOfPlain! * 100).toFixed(1)}%)`, '')
  }
  const cold = res.cold as { runs: Array<Record<string, number>>; efficiency: number; serverEfficiency: number } | undefined
  if (cold) {
    for (const r of cold.runs) {
      row('2', `cold build, client concurrency ${r.concurrency}, server cap ${r.serverCap}, ${r.latencyMs} ms/job`, `ideal/measured **${r.efficiency!.toFixed(3)}** (${r.executions} jobs, ideal ${r.idealMs} ms, measured ${r.measuredMs} ms)`, r.concurrency === SERVER_CAP ? '≥ 0.90' : '', r.concurrency === SERVER_CAP ? r.efficiency! >= 0.9 : undefined)
    }
    row('2', `cold efficiency, median of the concurrency-${SERVER_CAP} runs (client count)`, `**${cold.efficiency.toFixed(3)}**`, '≥ 0.90', cold.efficiency >= 0.9)
    row('2', `cold efficiency at the server (job time the server measured / ${SERVER_CAP} slots / wall), median`, `**${cold.serverEfficiency.toFixed(3)}** (first job reached the server after ${cold.runs.map((r) => r.firstJobAfterMs).join(', ')} ms)`, '≥ 0.90', cold.serverEfficiency >= 0.9)
    const first = cold.runs[0]! as Record<string, unknown>
    const st = first.stats as { total: number }
    row('2', 'identical snippets run once', `${first.runFences as number} run fences → ${st.total} distinct requests → ${first.executions as number} executions`, 'executions = distinct', first.executions === st.total && st.total < (first.runFences as number))
  }
  const sp = res.speedup as { sweep: Array<{ concurrency: number; ms: number; speedup: number; efficiency: number }>; corpus: CorpusStats } | undefined
  if (sp) {
    row('2', `speed-up over concurrency 1 (${sp.corpus.runFences} snippets, cap ${SERVER_CAP})`, sp.sweep.map((s) => `c=${s.concurrency}: ${s.speedup.toFixed(2)}× (${s.ms} ms, eff. ${s.efficiency.toFixed(2)})`).join('; '), '')
  }
  const inc = res.incremental as { edits: Array<{ engineCalls: number; ratio: number }>; ratio: number; engineCalls: number[] } | undefined
  if (inc) {
    row('3', 'incremental rebuild: engine calls per one-snippet edit', `${inc.edits.map((e) => e.engineCalls).join(', ')} (${inc.edits.length} edits)`, 'exactly 1', inc.engineCalls.length === 1 && inc.engineCalls[0] === 1)
    row('3', 'incremental rebuild time / warm build', `${x(inc.ratio)} (median; includes the one job's ${LATENCY_MS} ms server latency)`, '')
  }
  const memoryRows = (n: string, mem: Memory) => {
    const mb = (r: { maxRssMb: number; timeMaxRssMb?: number }) => `${r.maxRssMb.toFixed(0)} MB${r.timeMaxRssMb ? ` (time -v: ${r.timeMaxRssMb.toFixed(0)} MB)` : ''}`
    const target = mem.snippets >= 5000 ? '≤ 1.15× plain' : '(5,000 in --full)'
    row(n, `peak RSS, plain pipeline on the same ${mem.snippets}-snippet content (child process)`, `${mb(mem.plain)}, ${ms(mem.plain.result.ms)} ms`, '')
    row(n, `peak RSS, warm check of ${mem.snippets} snippets (child process, compiled JS)`, `${mb(mem.warm)} = ${x(mem.warmRatio)} plain, ${ms(mem.warm.result.ms)} ms`, target, mem.snippets >= 5000 ? mem.warmRatio <= 1.15 : undefined)
    row(n, `peak RSS, cold check of ${mem.snippets} snippets (child process, compiled JS)`, `${mb(mem.cold)} = ${x(mem.coldRatio)} plain, ${ms(mem.cold.result.ms)} ms`, target, mem.snippets >= 5000 ? mem.coldRatio <= 1.15 : undefined)
  }
  if (res.memory) memoryRows('4', res.memory as Memory)
  const pre = res.prescan as { pairs: Array<Record<'with' | 'without', { serverEfficiency: number; boundEfficiency: number; warmMs: number; firstJobAfterMs: number; measuredMs: number }>> } | undefined
  if (pre) {
    const side = (k: 'with' | 'without') => pre.pairs.map((p) => `${p[k].serverEfficiency.toFixed(3)}, bound ${p[k].boundEfficiency.toFixed(3)} (${p[k].measuredMs} ms, warm ${p[k].warmMs} ms, first job after ${p[k].firstJobAfterMs} ms)`).join('; ')
    row('P', 'tutorial corpus, cold check, efficiency at the server WITH the pre-scan', side('with'), '≥ 0.90')
    row('P', 'the same, WITHOUT the pre-scan (ablation: runs alternated with the above)', side('without'), '')
  }
  const tut = res.tutorial as Tutorial | undefined
  if (tut) {
    const c = tut.corpus
    row('T', 'tutorial-shaped corpus', `${c.posts} posts, ${(c.bytes / 2 ** 20).toFixed(1)} MiB of Markdown, ${c.runFences} run fences (${c.uniqueJobs} distinct) in the last posts, one of 1,090 lines; ${c.otherFences} other fences; front matter with 15–60 contributors`, '')
    warmRows('T1', tut.check, tut.checkWhole, tut.written)
    const eff = (rs: Array<Partial<ColdRun> & { serverEfficiency: number; firstJobAfterMs: number; measuredMs: number; executions: number }>) =>
      rs.map((r) => `${r.serverEfficiency.toFixed(3)}${r.efficiency === undefined ? '' : ` (client ${r.efficiency.toFixed(3)})`}${r.boundEfficiency === undefined ? '' : `, bound ${r.boundEfficiency.toFixed(3)} (warm ${r.warmMs} ms)`}, ${r.executions} jobs in ${r.measuredMs} ms, first after ${r.firstJobAfterMs} ms${r.loopStallMaxMs === undefined ? '' : `, longest loop stall ${r.loopStallMaxMs} ms`}`).join('; ')
    const bound = (rs: Array<{ boundEfficiency: number }>) => median(rs.map((r) => r.boundEfficiency))
    row('T2', `cold check, concurrency ${SERVER_CAP}, server cap ${SERVER_CAP}, ${LATENCY_MS} ms/job: efficiency at the server`, `median **${tut.coldServerEfficiency.toFixed(3)}**: ${eff(tut.cold)}`, '≥ 0.90', tut.coldServerEfficiency >= 0.9)
    row('T2', 'the same against the warm bound: max(job time at the server / slots, warm wall) / cold wall', `median **${bound(tut.cold).toFixed(3)}**`, '≥ 0.90', bound(tut.cold) >= 0.9)
    const pistonMedian = median(tut.coldPiston.map((r) => r.serverEfficiency))
    row('T2′', `cold check, default concurrency ${DEFAULT_CONCURRENCY}, Piston-like server (${PISTON_LIKE.latencyMs} ms jobs, ${PISTON_LIKE.cap} slots): efficiency at the server`, `median **${pistonMedian.toFixed(3)}**, bound median **${bound(tut.coldPiston).toFixed(3)}**: ${eff(tut.coldPiston)}`, '≥ 0.90', pistonMedian >= 0.9)
    const eleventyMedian = median(tut.coldEleventy.map((r) => r.serverEfficiency))
    row('T2', `cold Eleventy build (whole process), concurrency ${SERVER_CAP}, same server: efficiency at the server`, `median **${eleventyMedian.toFixed(3)}**: ${eff(tut.coldEleventy)}`, '≥ 0.90', eleventyMedian >= 0.9)
    row('T2', 'the same against the warm bound (the same Eleventy build warm, right after)', `median **${bound(tut.coldEleventy).toFixed(3)}**`, '≥ 0.90', bound(tut.coldEleventy) >= 0.9)
    const eleventyPiston = median(tut.coldEleventyPiston.map((r) => r.serverEfficiency))
    row('T2′', `cold Eleventy build (whole process), default concurrency ${DEFAULT_CONCURRENCY}, Piston-like server: efficiency at the server`, `median **${eleventyPiston.toFixed(3)}**, bound median **${bound(tut.coldEleventyPiston).toFixed(3)}**: ${eff(tut.coldEleventyPiston)}`, '≥ 0.90', eleventyPiston >= 0.9)
  }
  if (res.tutorialMemory) memoryRows('T3', res.tutorialMemory as Memory)
  const users = res.users as { scales: ScaleResult[]; astroSkipped?: string } | undefined
  if (users) {
    baselineRows(row, users.scales)
    if (users.astroSkipped) row('U', 'Astro with / without the integration', `skipped: ${users.astroSkipped}`, '≤ 1.10')
    // Issue 25's cold target is the tutorial section's T2′ Eleventy row (job time at the server, default concurrency).
    if (tut) {
      const bound = median(tut.coldEleventyPiston.map((r) => r.boundEfficiency))
      row('U', `cold Eleventy build (T2′): max(warm wall, job time at the server / ${PISTON_LIKE.cap} cores) / cold wall, default concurrency ${DEFAULT_CONCURRENCY}`, `median **${bound.toFixed(3)}** (n = ${tut.coldEleventyPiston.length})`, '≥ 0.90', bound >= 0.9)
      const first = tut.coldEleventyPiston.map((r) => r.firstJobAfterMs)
      row('U', 'the same from the first job: (its arrival + job time at the server / cores) / cold wall; the first job cannot start before Eleventy lists its pages', `median **${median(tut.coldEleventyPiston.map((r) => r.fromFirstJob)).toFixed(3)}**, first job after ${Math.min(...first)}–${Math.max(...first)} ms`, '')
    }
  }
  const rd = res.reader as ReaderCost | undefined
  if (rd) {
    row('5', 'reader: CSS a post ships (gzip)', `${rd.cssGzipBytes} B (${rd.css.map((a) => `${a.url}: ${a.bytes} B raw`).join(', ')})`, '')
    row('5', 'reader: JavaScript a post ships (gzip)', `${rd.jsGzipBytes} B${rd.js.length ? ` (${rd.js.map((a) => `${a.url}: ${a.bytes} B raw`).join(', ')})` : ' (no script referenced)'}`, '')
    row('5', 'reader: Piston requests when a page loads', `${rd.pistonRequests} (${rd.method === 'chromium' ? `page loaded in headless Chromium, ${rd.pageRequests?.length ?? 0} requests in all: ${rd.pageRequests?.join(', ')}` : rd.note})`, '0', rd.pistonRequests === 0)
    row('5', 'reader: the post\'s HTML (gzip)', `${rd.html.gzipBytes} B (${rd.html.bytes} B raw)`, '')
  }
  const real = res.real as { skipped?: string; coldMs?: number; msPerJob?: number; stats?: { ran: number }; warm?: Compared } | undefined
  if (real) {
    if (real.skipped) row('6', 'real engine (PISTON_URL)', `skipped: ${real.skipped}`, '')
    else row('6', 'real engine (PISTON_URL): cold / warm', `cold ${real.coldMs} ms for ${real.stats!.ran} jobs (${real.msPerJob} ms/job at concurrency ${DEFAULT_CONCURRENCY}); warm / plain ${x(real.warm!.ratios.build!.wall)}`, '')
  }
  const local = res.local as { rows: Array<{ concurrency: number; ms: number; msPerJob: number; speedup: number; executions: number }>; snippets: number } | undefined
  if (local) {
    row('2′', `cold build through the server's local engine (real python3, ${local.snippets} unique hello-worlds, no added latency)`, local.rows.map((r) => `c=${r.concurrency}: ${r.ms} ms, ${r.msPerJob} ms/job, ${r.speedup.toFixed(2)}×`).join('; '), '')
  }
  return lines.join('\n')
}

interface Memory {
  snippets: number
  cold: ChildRun<{ ms: number }>
  warm: ChildRun<{ ms: number }>
  plain: ChildRun<{ ms: number }>
  coldRatio: number
  warmRatio: number
}
interface ColdRun {
  serverEfficiency: number
  efficiency: number
  boundEfficiency: number
  firstJobAfterMs: number
  measuredMs: number
  warmMs: number
  executions: number
  loopStallMaxMs: number
}
interface Tutorial {
  corpus: CorpusStats
  check: Compared
  checkWhole: Compared
  written: Compared
  cold: ColdRun[]
  coldServerEfficiency: number
  coldPiston: ColdRun[]
  coldEleventy: ColdEleventyRun[]
  coldEleventyPiston: ColdEleventyRun[]
}

async function updateBenchmarksMd(table: string) {
  const start = `<!-- bench:${mode}:start -->`
  const end = `<!-- bench:${mode}:end -->`
  let text: string
  try {
    text = await readFile('BENCHMARKS.md', 'utf8')
  } catch {
    text = `# Benchmarks\n\n${start}\n${end}\n`
  }
  if (!text.includes(start)) text += `\n${start}\n${end}\n`
  const before = text.slice(0, text.indexOf(start) + start.length)
  const after = text.slice(text.indexOf(end))
  await writeFile('BENCHMARKS.md', `${before}\n${table}\n${after}`)
}
