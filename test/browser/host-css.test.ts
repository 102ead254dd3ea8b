/**
 * The block on other people's sites (issue 24), in a real Chromium: the
 * sample blog, an eleventy-base-blog-shaped site built by Eleventy (its CSS,
 * a post per Prism theme: okaidia, default, tomorrow), Astro's blog template
 * and a Starlight site built by `astro build`, and Tailwind with Typography
 * (the one static page, see host-sites.ts), each in light and dark, by the
 * OS setting and by the site's own switch (Starlight's theme picker,
 * Tailwind's `.dark`/`.light`), at 1280 and 380 px. In every case every
 * text run in a block reads at WCAG AA against what is painted behind it,
 * no control covers a line of code or output, and the block is dark exactly
 * when the site is. Astro's blog template is a light page whose fences keep
 * one look: github-dark (Astro's default), or light with a light and dark
 * `shikiConfig.themes` pair (built both ways); there the blocks must be as
 * dark as its fences, with their background. Screenshots of every case go
 * to test-output/host-css/ (not committed).
 */
import { spawn } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { childOutput } from '../helpers/child.js'
import { eleventyBin } from '../helpers/eleventy.js'
import { makeProject, repoRoot } from '../helpers/project.js'
import { startPistonServer, type PistonServer } from '../piston-server/index.js'
import { deadOrigin, launchChromium, serveDirectory, type StaticServer } from './helpers.js'
import { type BuiltSite, buildAstroBlog, buildStarlight, buildStarter, PRISM_THEMES, type RenderedBlocks, renderBlocks, sitePage, TAILWIND } from './host-sites.js'

// Page-side globals, for the function that runs in the page (the root tsconfig has no DOM types).
declare const document: any
declare function getComputedStyle(element: unknown): any
declare function matchMedia(query: string): { matches: boolean }
declare const NodeFilter: { SHOW_TEXT: number }
declare class DOMRect {
  constructor(x: number, y: number, width: number, height: number)
  x: number
  y: number
  width: number
  height: number
  left: number
  right: number
  top: number
  bottom: number
}
type PageElement = any

const SHOTS = join(repoRoot, 'test-output/host-css')

let browser: Browser
let engine: PistonServer
let root: Awaited<ReturnType<typeof makeProject>>
let sampleOut: Awaited<ReturnType<typeof makeProject>>
const built: BuiltSite[] = []
const rendered: RenderedBlocks[] = []
/** Where each site is served. */
const at: Record<'static' | 'sample' | 'starter' | 'astro' | 'starlight' | 'astroPair', StaticServer> = {} as never

/** The Tailwind page's variants: `os` (no switch set), or its switch set to `dark` or `light`. */
const VARIANTS = ['os', 'dark', 'light'] as const

beforeAll(async () => {
  ;[browser, engine, root, sampleOut] = await Promise.all([launchChromium(), startPistonServer(), makeProject({}), makeProject({})])
  // Buttons show where a live endpoint is set; nothing here presses Run.
  const endpoint = `${await deadOrigin()}/api/v2`
  // The sample blog, built as `npm run build` builds it, from the committed cache.
  const env = { ...process.env, RUNNABLE_FROZEN: '1', PISTON_URL: '', RUNNABLE_LIVE_ENDPOINT: endpoint, GITHUB_ACTIONS: '' }
  const sampleBuild = childOutput(spawn(process.execPath, [eleventyBin, '--quiet', `--output=${sampleOut.dir}`], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] }))
  // Every site built at once: the builds wait on the engine and on each other's I/O as much as on the CPU.
  const [sample, blocks, ...sites] = await Promise.all([
    sampleBuild,
    renderBlocks(engine.url, endpoint),
    buildStarter(engine.url, endpoint),
    buildAstroBlog(engine.url, endpoint),
    buildStarlight(engine.url, endpoint),
    // The template with a light and dark pair: Astro's fences stay light (only CSS the site adds would switch them).
    buildAstroBlog(engine.url, endpoint, "markdown: { shikiConfig: { themes: { light: 'github-light', dark: 'github-dark' } } }"),
  ])
  built.push(...sites)
  rendered.push(blocks)
  expect(sample.code, sample.stderr).toBe(0)
  for (const site of sites) {
    // Each post's "Expected output" block fails on purpose (41, not 42: a failed expectation's notice is in the matrix), and nothing else.
    const errors = site.build.stderr.split('\n').filter((line) => /: error {2}/.test(line))
    expect(errors.length, site.build.stderr).toBeGreaterThan(0)
    for (const line of errors) expect(line).toMatch(/ python snippet "Expected output": stdout does not match the output fence /)
  }
  for (const asset of [blocks.css, blocks.copy, blocks.live]) await root.write(`_runnable/${asset.name}`, asset.text)
  await root.write(`${TAILWIND.name}/site.css`, (await TAILWIND.css()).join('\n'))
  for (const variant of VARIANTS) {
    const attribute = variant === 'os' ? '' : TAILWIND.switch[variant]
    await root.write(`${TAILWIND.name}/${variant}/index.html`, sitePage(TAILWIND, blocks, attribute, endpoint))
  }
  const [starter, astro, starlight, astroPair] = sites as [BuiltSite, BuiltSite, BuiltSite, BuiltSite]
  // Astro's pages carry inline scripts and styles (Starlight's theme script, Shiki's colours): served without the blog's CSP.
  ;[at.static, at.sample, at.starter, at.astro, at.starlight, at.astroPair] = await Promise.all([
    serveDirectory(root.dir),
    serveDirectory(sampleOut.dir),
    serveDirectory(starter.root),
    serveDirectory(astro.root, undefined, { csp: false }),
    serveDirectory(starlight.root, undefined, { csp: false }),
    serveDirectory(astroPair.root, undefined, { csp: false }),
  ])
  await mkdir(SHOTS, { recursive: true })
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await Promise.all([...Object.values(at).map((s) => s.close()), engine?.close(), root?.remove(), sampleOut?.remove(), ...built.map((b) => b.remove()), ...rendered.map((r) => r.remove())])
})

interface Case {
  name: string
  url: () => string
  os: 'light' | 'dark'
  dark: boolean
  /** Starlight: the theme picker's choice, made as a reader makes it. */
  picker?: 'dark' | 'light' | 'auto'
  /** A site whose fences keep one theme (Astro's blog template): the block's background must be theirs. */
  fences?: string
}

const byOs = (name: string, url: () => string, extra: Partial<Case> = {}): Case[] =>
  (['light', 'dark'] as const).map((os) => ({ name: `${name} os-${os}`, url, os, dark: os === 'dark', ...extra }))

const CASES: Case[] = [
  ...byOs('sample-blog', () => `${at.sample.origin}/feature-tour/`),
  ...PRISM_THEMES.flatMap((theme) => byOs(`eleventy-${theme}`, () => `${at.starter.origin}/posts/${theme}/`)),
  // A light page whose fences are github-dark (Astro's default shikiConfig): the blocks are too, whatever the OS.
  ...byOs('astro-blog', () => `${at.astro.origin}/blog/blocks/`, { dark: true, fences: 'pre.astro-code' }),
  // With a light and dark pair its fences stay light, and so do the blocks (colorScheme: { media: false }).
  ...byOs('astro-blog-pair', () => `${at.astroPair.origin}/blog/blocks/`, { dark: false, fences: 'pre.astro-code' }),
  ...(['light', 'dark'] as const).map((os): Case => ({ name: `starlight auto-os-${os}`, url: () => `${at.starlight.origin}/blocks/`, os, dark: os === 'dark', picker: 'auto' })),
  { name: 'starlight picker-dark-os-light', url: () => `${at.starlight.origin}/blocks/`, os: 'light', dark: true, picker: 'dark' },
  { name: 'starlight picker-light-os-dark', url: () => `${at.starlight.origin}/blocks/`, os: 'dark', dark: false, picker: 'light' },
  ...byOs('tailwind', () => `${at.static.origin}/tailwind/os/`),
  { name: 'tailwind switch-dark-os-light', url: () => `${at.static.origin}/tailwind/dark/`, os: 'light', dark: true },
  { name: 'tailwind switch-light-os-dark', url: () => `${at.static.origin}/tailwind/light/`, os: 'dark', dark: false },
]

interface Findings {
  blocks: number
  texts: number
  lowContrast: string[]
  overlaps: string[]
  darkBlocks: boolean[]
  buttons: number
}

/**
 * Runs in the page. For each block: every rendered text run's colour (its
 * alpha and every ancestor's opacity applied) against the backgrounds
 * painted behind it (composited up to the first opaque one, the canvas
 * white at the end); every visible control's box against the boxes of the
 * code's and the output's text lines (Range client rects, clipped to the
 * box that scrolls them); and whether the block's background is dark.
 */
function inspect(): Findings {
  type Rgba = [number, number, number, number]
  const parse = (colour: string): Rgba => {
    const [r = 0, g = 0, b = 0, a = 1] = (colour.match(/[\d.]+/g) ?? []).map(Number)
    return colour.startsWith('rgba') || (colour.match(/[\d.]+/g) ?? []).length === 4 ? [r, g, b, a] : [r, g, b, 1]
  }
  const over = (top: Rgba, under: Rgba): Rgba => [0, 1, 2].map((i) => top[i]! * top[3] + under[i]! * (1 - top[3])).concat(1) as Rgba
  const luminance = ([r, g, b]: Rgba) => {
    const [R, G, B] = [r, g, b].map((v) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
    return 0.2126 * R! + 0.7152 * G! + 0.0722 * B!
  }
  const contrast = (a: Rgba, b: Rgba) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p)
    return (x! + 0.05) / (y! + 0.05)
  }
  const background = (element: PageElement): Rgba => {
    const layers: Rgba[] = []
    for (let e = element; e; e = e.parentElement) {
      const colour = parse(getComputedStyle(e).backgroundColor)
      if (colour[3] > 0) layers.push(colour)
      if (colour[3] >= 1) break
    }
    return layers.reduceRight<Rgba>((under, layer) => over(layer, under), [255, 255, 255, 1])
  }
  const opacity = (element: PageElement) => {
    let product = 1
    for (let e = element; e; e = e.parentElement) product *= Number(getComputedStyle(e).opacity)
    return product
  }
  const intersects = (a: DOMRect, b: DOMRect) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5
  const findings: Findings = { blocks: 0, texts: 0, lowContrast: [], overlaps: [], darkBlocks: [], buttons: 0 }
  for (const block of document.querySelectorAll('figure.rb-snippet')) {
    findings.blocks++
    findings.darkBlocks.push(luminance(background(block)) < 0.2)
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT)
    const lines: Array<{ rect: DOMRect; text: string }> = []
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? ''
      const range = document.createRange()
      range.selectNodeContents(node)
      const rects = ([...range.getClientRects()] as DOMRect[]).filter((r) => r.width > 0 && r.height > 0)
      if (!text.trim() || !rects.length) continue
      const element = node.parentElement!
      const style = getComputedStyle(element)
      if (style.visibility !== 'visible') continue
      findings.texts++
      const colour = parse(style.color)
      const under = background(element)
      const seen = over([colour[0], colour[1], colour[2], colour[3] * opacity(element)], under)
      const ratio = contrast(seen, under)
      if (ratio < 4.5) findings.lowContrast.push(`${ratio.toFixed(2)}:1 "${text.trim().slice(0, 40)}" (${style.color} on rgb(${under.slice(0, 3).map(Math.round).join(', ')}))`)
      const scroller = element.closest('.rb-code, .rb-stream')
      if (scroller) {
        const clip = scroller.getBoundingClientRect()
        for (const rect of rects) {
          const visible = new DOMRect(Math.max(rect.left, clip.left), Math.max(rect.top, clip.top), 0, 0)
          visible.width = Math.min(rect.right, clip.right) - visible.x
          visible.height = Math.min(rect.bottom, clip.bottom) - visible.y
          if (visible.width > 0 && visible.height > 0) lines.push({ rect: visible, text })
        }
      }
    }
    for (const control of block.querySelectorAll('button, summary')) {
      const box = control.getBoundingClientRect()
      if (!box.width || !box.height) continue
      if (control.tagName === 'BUTTON') findings.buttons++
      for (const line of lines) if (intersects(box, line.rect)) findings.overlaps.push(`${control.textContent} covers "${line.text.trim().slice(0, 30)}"`)
    }
  }
  return findings
}

async function check(page: Page, shot: string, c: Case) {
  // The page script has shown the buttons (each block has Copy), so their boxes are final.
  await expect.poll(() => page.locator('.rb-copy:visible').count(), { timeout: 10_000 }).toBeGreaterThan(0)
  const findings = await page.evaluate(inspect)
  await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true })
  expect(findings.blocks, shot).toBeGreaterThan(3)
  expect(findings.buttons, shot).toBeGreaterThan(findings.blocks)
  expect(findings.lowContrast, shot).toEqual([])
  expect(findings.overlaps, shot).toEqual([])
  expect(findings.darkBlocks, shot).toEqual(findings.darkBlocks.map(() => c.dark))
  if (c.fences) {
    const ground = (selector: string) => page.locator(selector).evaluateAll((elements) => elements.map((e) => getComputedStyle(e).backgroundColor))
    const fences = await ground(c.fences)
    expect(fences.length, shot).toBeGreaterThan(0)
    expect(await ground('figure.rb-snippet'), shot).toEqual(findings.darkBlocks.map(() => fences[0]))
  }
}

/** Starlight's theme picker, as a reader uses it: the select labelled "Select theme" in the header (shown at desktop widths). */
async function pickTheme(page: Page, choice: 'dark' | 'light' | 'auto') {
  const picker = page.getByLabel('Select theme').filter({ visible: true })
  await picker.selectOption(choice)
  const expected = choice === 'auto' ? await page.evaluate(() => (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light')) : choice
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(expected)
}

describe('the block on other sites, light and dark, by the OS and by the site\'s switch, at 1280 and 380 px', () => {
  for (const width of [1280, 380]) {
    it.each(CASES.map((c) => [c.name, c] as const))(`%s at ${width} px`, async (_, c) => {
      // The picker is in the header at desktop widths: chosen there, then the page narrowed (the choice holds).
      const context = await browser.newContext({ colorScheme: c.os, viewport: { width: c.picker ? 1280 : width, height: 900 } })
      try {
        const page = await context.newPage()
        const problems: string[] = []
        page.on('pageerror', (error) => problems.push(error.message))
        await page.goto(c.url())
        if (c.picker) {
          await pickTheme(page, c.picker)
          await page.setViewportSize({ width, height: 900 })
        }
        await check(page, `${c.name.replace(/ /g, '-')}-${width}`, c)
        expect(problems).toEqual([])
      } finally {
        await context.close()
      }
    }, 60_000)
  }
})

describe('Edit on sites whose CSS unsets code', () => {
  it.each([
    ['astro-blog', () => `${at.astro.origin}/blog/blocks/`],
    ['starlight', () => `${at.starlight.origin}/blocks/`],
  ])('%s: the code shows once, as the editor, and comes back once', async (name, url) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    try {
      const page = await context.newPage()
      await page.goto(url())
      const block = page.locator('figure.rb-snippet').first()
      await block.getByRole('button', { name: 'Edit Greeting' }).click()
      await expect.poll(() => block.locator('textarea').isVisible(), { timeout: 10_000 }).toBe(true)
      expect(await block.locator('.rb-code code').isVisible()).toBe(false)
      await page.screenshot({ path: join(SHOTS, `${name}-edit.png`) })
      await block.getByRole('button', { name: 'Edit Greeting' }).click()
      expect(await block.locator('textarea').count()).toBe(0)
      expect(await block.locator('.rb-code code').isVisible()).toBe(true)
    } finally {
      await context.close()
    }
  })
})

describe('one theme, and a site\'s own switch', () => {
  it('with highlight.theme, the block is that theme in both schemes; with colorScheme selectors, the site\'s switch decides', async () => {
    const endpoint = 'http://127.0.0.1:9/api/v2'
    const one = await renderBlocks(engine.url, endpoint, { highlight: { theme: 'github-dark' } })
    const own = await renderBlocks(engine.url, endpoint, { colorScheme: { dark: '.night', light: '.day', media: false } })
    rendered.push(one, own)
    for (const asset of [one.css, own.css]) await root.write(`_runnable/${asset.name}`, asset.text)
    await root.write('one-theme/os/index.html', sitePage(TAILWIND, one, 'data-theme="light"', endpoint))
    await root.write('own-switch/night/index.html', sitePage(TAILWIND, own, 'class="night"', endpoint))
    await root.write('own-switch/dark-attribute/index.html', sitePage(TAILWIND, own, 'data-theme="dark"', endpoint))
    const background = async (path: string, os: 'light' | 'dark') => {
      const context = await browser.newContext({ colorScheme: os })
      try {
        const page = await context.newPage()
        await page.goto(`${at.static.origin}/${path}/`)
        return await page.locator('figure.rb-snippet').first().evaluate((el) => getComputedStyle(el).backgroundColor)
      } finally {
        await context.close()
      }
    }
    // github-dark's ground, whatever the OS and the page say.
    expect([await background('one-theme/os', 'light'), await background('one-theme/os', 'dark')]).toEqual(['rgb(36, 41, 46)', 'rgb(36, 41, 46)'])
    // Only the site's own selector turns it dark: not the OS (media off), not the default data-theme.
    expect(await background('own-switch/night', 'light')).toBe('rgb(36, 41, 46)')
    expect(await background('own-switch/dark-attribute', 'dark')).toBe('rgb(255, 255, 255)')
  })
})
