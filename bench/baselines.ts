/**
 * Issue 25's rows: the plugin against the baselines bloggers have, rather
 * than the same unified pipeline without it. Whole processes, compiled
 * JavaScript, warm (every result in cache/, the render cache filled by the
 * untimed first round), variants in a rotating order, ratios paired within
 * a round; peak RSS of each process from /usr/bin/time.
 *
 * Eleventy (`eleventy` over the tutorial-shaped corpus as its input):
 * - `prism`: Eleventy's markdown-it with @11ty/eleventy-plugin-syntaxhighlight
 *   (what an Eleventy blog has);
 * - `mdit`: Eleventy's markdown-it alone (plain Eleventy, no highlighting);
 * - `build`, `off`, `all`: the plugin with its defaults, `highlight: false`,
 *   `highlight.allFences` (bench/eleventy/runnable.config.js), not frozen;
 *   `build` and `all` on the site with syntaxhighlight (`prism`), `off` on
 *   the plain one (`mdit`): the plugin added to the site it is weighed against;
 * - `fresh`: the defaults with the render cache off: what a build pays
 *   without node_modules/.cache (a fresh checkout).
 * Astro (the same posts as Markdown pages, Astro's own Shiki on): without
 * the integration (`astro`) and with it (`runnable`).
 */
import { astroBuild, astroSite } from './astro/build.js'
import { eleventyBuild } from './eleventy/build.js'
import { compare, type Compared, median, pairRatio } from './harness.js'

export interface ScaleResult {
  /** ×1 or ×10 of the tutorial-shaped corpus. */
  scale: number
  posts: number
  eleventy: Compared
  astro?: Compared
}

/**
 * A blogger's warm build is not frozen: it would run a snippet missing from
 * cache/ (here it fails, as no server is set), so the pre-scan runs.
 */
const asBlogger = { RUNNABLE_FROZEN: '' }

/** The variants of one corpus, compared; Astro's only when `astro` (it needs Node 22). */
export async function measureBaselines(root: string, scale: number, posts: number, iterations: number, astro: boolean, log: (...parts: unknown[]) => void): Promise<ScaleResult> {
  log(`users' baselines ×${scale}: Eleventy (markdown-it, + syntaxhighlight; the plugin: defaults, highlight false, allFences, no render cache), ${iterations} rounds after 1`)
  const eleventy = await compare(
    {
      prism: () => eleventyBuild(root, 'markdown-it', 'dist-prism', { BENCH_PRISM: '1' }),
      mdit: () => eleventyBuild(root, 'markdown-it', 'dist-mdit'),
      build: () => eleventyBuild(root, 'runnable', 'dist-build', { ...asBlogger, BENCH_PRISM: '1' }),
      off: () => eleventyBuild(root, 'runnable', 'dist-off', { ...asBlogger, BENCH_HIGHLIGHT: 'off' }),
      all: () => eleventyBuild(root, 'runnable', 'dist-all', { ...asBlogger, BENCH_PRISM: '1', BENCH_HIGHLIGHT: 'all' }),
      fresh: () => eleventyBuild(root, 'runnable', 'dist-fresh', { ...asBlogger, BENCH_PRISM: '1', RUNNABLE_RENDER_CACHE: 'off' }),
    },
    'prism',
    iterations,
    1,
  )
  if (!astro) return { scale, posts, eleventy }
  log(`users' baselines ×${scale}: Astro without and with the integration (Astro's Shiki on)`)
  const sites = { astro: await astroSite(root, 'astro'), runnable: await astroSite(root, 'runnable') }
  const astroRuns = await compare({ astro: () => astroBuild(sites.astro, root), runnable: () => astroBuild(sites.runnable, root) }, 'astro', iterations, 1)
  return { scale, posts, eleventy, astro: astroRuns }
}

type Row = (n: string, measurement: string, result: string, target: string, met?: boolean) => void

const x = (n: number) => `${n.toFixed(2)}×`
const range = (values: number[]) => `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}×`
const perRound = (c: Compared, variant: string, baseline: string, key: 'wall' | 'rssMb') => c.samples[variant]!.map((s, i) => (s[key] ?? NaN) / (c.samples[baseline]![i]![key] ?? NaN))
const medianOf = (c: Compared, variant: string, key: 'wall' | 'rssMb') => median(c.samples[variant]!.map((s) => s[key] ?? NaN))

/** One target's row: wall and peak RSS of `variant` over `baseline`, paired, with n, medians and range. */
function targetRow(row: Row, n: string, what: string, c: Compared, variant: string, baseline: string, limit: number | undefined) {
  const wall = pairRatio(c, variant, baseline).wall
  const rounds = perRound(c, variant, baseline, 'wall')
  const rss = median(perRound(c, variant, baseline, 'rssMb'))
  const detail = `wall **${x(wall)}** (range ${range(rounds)}; ${baseline} ${Math.round(medianOf(c, baseline, 'wall'))} ms, ${variant} ${Math.round(medianOf(c, variant, 'wall'))} ms; n = ${c.iterations}); peak RSS ${Number.isNaN(rss) ? 'not measured' : `**${x(rss)}** (${Math.round(medianOf(c, baseline, 'rssMb'))} → ${Math.round(medianOf(c, variant, 'rssMb'))} MB)`}`
  const met = limit === undefined ? undefined : wall <= limit && (Number.isNaN(rss) || rss <= 1.15)
  row(n, what, detail, limit === undefined ? '' : `≤ ${limit.toFixed(2)}, RSS ≤ 1.15`, met)
}

/** The table rows of issue 25's targets, from each scale measured; growth when ×1 and ×10 both are. */
export function baselineRows(row: Row, scales: ScaleResult[]): void {
  for (const s of scales) {
    const n = `U×${s.scale}`
    const c = s.eleventy
    row(n, `tutorial-shaped corpus ×${s.scale}`, `${s.posts} posts, warm (results and render cache), whole processes, compiled JS`, '')
    targetRow(row, n, 'Eleventy, the plugin with its defaults / Eleventy + @11ty/eleventy-plugin-syntaxhighlight', c, 'build', 'prism', 1.1)
    targetRow(row, n, 'Eleventy, the plugin with `highlight: false` / plain Eleventy (markdown-it)', c, 'off', 'mdit', 1.05)
    targetRow(row, n, 'Eleventy, the plugin with `allFences: true` / Eleventy + syntaxhighlight', c, 'all', 'prism', 1.1)
    targetRow(row, n, 'Eleventy, the plugin with its defaults and no render cache (a fresh checkout) / Eleventy + syntaxhighlight', c, 'fresh', 'prism', undefined)
    targetRow(row, n, 'plain Eleventy (markdown-it) / Eleventy + syntaxhighlight, for scale', c, 'mdit', 'prism', undefined)
    if (s.astro) targetRow(row, n, 'Astro with the integration / the same Astro site without it (Astro’s Shiki on)', s.astro, 'runnable', 'astro', 1.1)
  }
  const [one, ten] = [scales.find((s) => s.scale === 1), scales.find((s) => s.scale === 10)]
  if (!one || !ten) return
  const growth = (c1: Compared, c10: Compared, variant: string) => medianOf(c10, variant, 'wall') / medianOf(c1, variant, 'wall')
  for (const [variant, baseline, what] of [
    ['build', 'prism', 'defaults / syntaxhighlight'],
    ['off', 'mdit', '`highlight: false` / plain Eleventy'],
    ['all', 'prism', '`allFences` / syntaxhighlight'],
  ] as const) {
    const own = growth(one.eleventy, ten.eleventy, variant)
    const base = growth(one.eleventy, ten.eleventy, baseline)
    row('U×10', `growth ×1 → ×10 of the wall time, ${what}`, `${x(own)} against ${x(base)}`, 'no faster than the baseline', own <= base)
  }
  if (one.astro && ten.astro) {
    const own = growth(one.astro, ten.astro, 'runnable')
    const base = growth(one.astro, ten.astro, 'astro')
    row('U×10', 'growth ×1 → ×10 of the wall time, Astro with / without the integration', `${x(own)} against ${x(base)}`, 'no faster than the baseline', own <= base)
  }
}
