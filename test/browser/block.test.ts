/**
 * The block as a reader sees it (issue 13), in a real Chromium: a fixture
 * blog built by a real Eleventy with highlighting for every fence, served
 * with the production CSP (so highlighting must work without inline
 * styles), once with a live endpoint and once without.
 */
import { join } from 'node:path'
import type { BrowserContextOptions, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { eleventyConfig } from '../helpers/eleventy.js'
import { fence, post } from '../helpers/project.js'
import { type FixtureSite, holdRequests, startFixtureSite } from './fixture-site.js'
import { serveDirectory, type StaticServer } from './helpers.js'

// Page-side globals, for code that runs inside the browser (the root tsconfig has no DOM types).
declare function getComputedStyle(element: unknown): { color: string; backgroundColor: string; outlineStyle: string; maxHeight: string; borderTopStyle: string; lineHeight: string; paddingTop: string; paddingBottom: string }
declare const document: { activeElement: unknown; createRange(): { selectNodeContents(node: unknown): void; getBoundingClientRect(): { top: number; right: number; bottom: number; left: number } } }
declare function createImageBitmap(image: Blob): Promise<unknown>
declare class OffscreenCanvas {
  constructor(width: number, height: number)
  getContext(kind: '2d'): { drawImage(image: unknown, x: number, y: number): void; getImageData(x: number, y: number, width: number, height: number): { data: ArrayLike<number> } }
}
declare const navigator: { clipboard: { readText(): Promise<string> } }

// The first line is long enough to reach under the copy button on a narrow page.
const MARKED = 'import sys  # the first line, long enough to reach the copy button on a narrow page\nname = "marked"\nprint(name)\nprint(len(sys.argv))'
const APP = 'from util import twice\nprint(twice(21))'
const content = post(
  'Blocks',
  [
    'How blocks look.\n',
    fence('python run title="Marked" {2} mark={3}', MARKED),
    fence('python file=util.py {2}', 'def twice(x):\n    return 2 * x'),
    fence('python run title="Two files" file=app.py files=util.py', APP),
    fence('python run title="Streams" exit=2', 'import sys\nprint("out")\nprint("err", file=sys.stderr)\nsys.exit(2)'),
    fence('python run title="Long"', 'for i in range(200):\n    print(i)'),
    'An ordinary fence:\n',
    fence('js {3}', 'const answer = 42\nif (answer)\n  console.log(answer)'),
  ].join('\n'),
)

let site: FixtureSite
let live: StaticServer
let plain: StaticServer
/** Built with `--engine local` (its own cache), with a live endpoint: the footer says where it ran. */
let local: StaticServer
let buildOutput = ''

beforeAll(async () => {
  site = await startFixtureSite({ ...eleventyConfig('{ highlight: { allFences: true } }'), 'content/blocks.md': content })
  buildOutput = (await site.build('dist-live', site.proxy.url)) + (await site.build('dist-plain'))
  await site.project.write('runnable-blog.config.json', '{ "engine": "local", "cache": "cache-local" }')
  await site.build('dist-local', site.proxy.url)
  const dist = (out: string) => join(site.project.dir, out)
  ;[live, plain, local] = await Promise.all([
    serveDirectory(dist('dist-live'), site.proxy.origin),
    serveDirectory(dist('dist-plain')),
    serveDirectory(dist('dist-local'), site.proxy.origin),
  ])
})

afterAll(async () => {
  await site?.browser.close()
  await Promise.all([live, plain, local, site?.proxy, site?.liveServer, site?.buildServer].map((s) => s?.close()))
  await site?.project.remove()
})

let problems: string[] = []
const contexts: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()))
  expect(problems).toEqual([])
  problems = []
})

/** The fixture post in a fresh context; uncaught errors and console errors (CSP violations included) are problems. */
async function open(server: StaticServer, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await site.browser.newContext(options)
  contexts.push(context)
  const page = await context.newPage()
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  // Chromium logs a failed request (the fixture has no favicon) as an error too; those are not the page's.
  page.on('console', (message) => void (message.type() === 'error' && !message.text().startsWith('Failed to load resource') && problems.push(`console: ${message.text()}`)))
  await page.goto(`${server.origin}/blocks/`)
  return page
}

/** WCAG contrast ratio of two opaque `rgb(...)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (rgb: string) => {
    const [r, g, b] = rgb.match(/\d+/g)!.slice(0, 3).map((c) => {
      const v = Number(c) / 255
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
    })
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
  }
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}

/** The pixels of `clip` in a screenshot of `page` (taken at deviceScaleFactor 1), row by row, as [r, g, b]: decoded by Chromium, in a blank page of its context (no PNG decoder among our dependencies). */
async function pixels(page: Page, clip: { x: number; y: number; width: number; height: number }): Promise<number[][][]> {
  const png = (await page.screenshot({ clip })).toString('base64')
  const blank = await page.context().newPage()
  const data = await blank.evaluate(async ({ png, width, height }) => {
    const image = await createImageBitmap(new Blob([Uint8Array.from(atob(png), (c) => c.charCodeAt(0))], { type: 'image/png' }))
    const canvas = new OffscreenCanvas(width, height).getContext('2d')
    canvas.drawImage(image, 0, 0)
    return Array.from(canvas.getImageData(0, 0, width, height).data)
  }, { png, ...clip })
  await blank.close()
  return [...Array(clip.height).keys()].map((y) => [...Array(clip.width).keys()].map((x) => data.slice((y * clip.width + x) * 4, (y * clip.width + x) * 4 + 3)))
}

const figure = (page: Page, title: string) => page.locator('figure.rb-snippet', { has: page.locator('.rb-title', { hasText: title }) })
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 20 })

describe('highlighting', () => {
  it('colours run fences, their extra files and ordinary fences at build time, by classes that follow the colour scheme', async () => {
    const colours = async (colorScheme: 'light' | 'dark') => {
      const page = await open(plain, { colorScheme })
      const keyword = figure(page, 'Marked').locator('code span:not(.rb-line)').first()
      expect(await keyword.textContent()).toMatch(/^import/)
      return {
        keyword: await keyword.evaluate((el) => getComputedStyle(el).color),
        code: await figure(page, 'Marked').evaluate((el) => getComputedStyle(el).backgroundColor),
        ordinary: await page.locator('pre.rb-hl:not(.rb-code) span:not(.rb-line)').first().evaluate((el) => getComputedStyle(el).color),
      }
    }
    // github-light and github-dark, the default pair; github-light's keyword red (215, 58, 73) reads at 4.5:1 on white
    // but not on a marked line, so it is darkened until it does, and github-dark's lightened (src/render/theme.ts).
    expect(await colours('light')).toEqual({ keyword: 'rgb(194, 52, 66)', code: 'rgb(255, 255, 255)', ordinary: 'rgb(194, 52, 66)' })
    expect(await colours('dark')).toEqual({ keyword: 'rgb(250, 139, 151)', code: 'rgb(36, 41, 46)', ordinary: 'rgb(250, 139, 151)' })

    const page = await open(plain)
    // Every shown fence is marked for host highlighters to leave alone: 4 run fences, the extra file, the ordinary fence.
    expect(await page.locator('pre[data-rb-highlighted]').count()).toBe(6)
    expect(await figure(page, 'Two files').locator('code').textContent()).toBe(APP)
    expect(await page.locator('[style]').count()).toBe(0)
  })

  it('marks lines by {2} and by Expressive Code\'s mark={3} alike, without a word', async () => {
    const page = await open(plain)
    expect(await figure(page, 'Marked').locator('.rb-mark').allTextContents()).toEqual(['name = "marked"', 'print(name)'])
    expect(buildOutput).not.toMatch(/warning|error/)
  })

  it('bands a short marked line as far as a longer line scrolls, on a narrow page', async () => {
    const page = await open(plain, { viewport: { width: 320, height: 640 } })
    type Box = { left: number; right: number }
    type El = { scrollWidth: number; clientWidth: number; getBoundingClientRect(): Box; querySelectorAll(s: string): ArrayLike<El> }
    const at = await figure(page, 'Marked').locator('pre.rb-code').evaluate((pre: El) => {
      const rights = (selector: string) => Array.from(pre.querySelectorAll(selector), (line) => line.getBoundingClientRect().right)
      return { scrolls: pre.scrollWidth > pre.clientWidth, longest: Math.max(...rights('.rb-line')), marks: rights('.rb-mark') }
    })
    // The first line is wider than the box; each marked line's band reaches its end.
    expect(at.scrolls).toBe(true)
    for (const right of at.marks) expect(right).toBeGreaterThanOrEqual(at.longest - 1)
  })

  it('edges a marked line beside its text, never over it, and leaves its text where unmarked lines have theirs', async () => {
    const page = await open(plain, { deviceScaleFactor: 1 })
    // github-light's mark edge (src/render/theme.ts).
    const EDGE = [191, 135, 0]
    const near = (pixel: number[], colour: number[]) => pixel.every((c, i) => Math.abs(c - colour[i]!) <= 4)
    type El = { clientLeft: number; clientWidth: number; scrollWidth: number; getBoundingClientRect(): { left: number }; querySelector(s: string): El }
    // A block's code, whose padding is ours, and an ordinary fence, whose padding is the site's (none here).
    for (const [pre, ours] of [[page.locator('figure.rb-file pre.rb-code'), true], [page.locator('pre.rb-hl:not(.rb-code)'), false]] as const) {
      const where = ours ? 'a block' : 'an ordinary fence'
      // Indented: the first pixels of its text are the line's ground, no glyph's.
      expect(await pre.locator('.rb-mark').textContent()).toMatch(/^ {2,}\S/)
      // In the viewport: a screenshot's clip is in viewport coordinates, as the boxes measured are.
      await pre.scrollIntoViewIfNeeded()
      const at = await pre.evaluate((el: El) => {
        const text = (line: unknown) => {
          const range = document.createRange()
          range.selectNodeContents(line)
          return range.getBoundingClientRect()
        }
        const mark = el.querySelector('.rb-mark')
        const inner = el.getBoundingClientRect().left + el.clientLeft
        return {
          marked: text(mark),
          unmarked: text(el.querySelector('.rb-line:not(.rb-mark)')),
          inner,
          contentRight: inner + el.clientWidth - parseFloat((getComputedStyle(el) as unknown as { paddingRight: string }).paddingRight),
          tint: getComputedStyle(mark).backgroundColor.match(/\d+/g)!.slice(0, 3).map(Number),
          scrolls: el.scrollWidth > el.clientWidth,
        }
      })
      expect(at.marked.left, where).toBeCloseTo(at.unmarked.left, 2)
      // Marking adds nothing to scroll sideways.
      expect(at.scrolls, where).toBe(false)
      const [top, bottom] = [Math.ceil(at.marked.top), Math.floor(at.marked.bottom)]
      const start = Math.ceil(at.marked.left)
      const off = (clip: { x: number; width: number }, colour: number[]) => pixels(page, { ...clip, y: top, height: bottom - top }).then((rows) => [...new Set(rows.flat().filter((p) => !near(p, colour)).map((p) => `rgb(${p.join(', ')})`))])
      // The first 3 px of the text (where a bar drawn on the line's own box fell) and the end of the line: the tint alone.
      expect(await off({ x: start, width: 3 }, at.tint), where).toEqual([])
      expect(await off({ x: Math.floor(at.contentRight) - 3, width: 3 }, at.tint), where).toEqual([])
      if (!ours) continue
      // The edge is in the code's left padding: a column of it, the line's height, before the text.
      const left = await pixels(page, { x: Math.ceil(at.inner), y: top, width: Math.floor(at.marked.left) - Math.ceil(at.inner), height: bottom - top })
      expect(left[0]!.some((_, x) => left.every((row) => near(row[x]!, EDGE)))).toBe(true)
    }
  })
})

describe('the block', () => {
  it('names extra files and a chosen entry file, without JavaScript', async () => {
    const page = await open(plain, { javaScriptEnabled: false })
    expect(await page.locator('figure.rb-file .rb-filename').textContent()).toBe('util.py')
    expect(await page.locator('figure.rb-file code').textContent()).toBe('def twice(x):\n    return 2 * x')
    expect(await figure(page, 'Two files').locator('.rb-filename').textContent()).toBe('app.py')
    expect(await figure(page, 'Marked').locator('.rb-filename').count()).toBe(0)
  })

  it('shows output as output: labelled streams, the exit status in words, when it ran', async () => {
    const page = await open(plain)
    const streams = figure(page, 'Streams')
    expect(await streams.locator('.rb-stdout .rb-label').isVisible()).toBe(true)
    expect(await streams.locator('.rb-stderr .rb-label').isVisible()).toBe(true)
    expect(await streams.locator('.rb-label').allTextContents()).toEqual(['stdout', 'stderr'])
    expect(await streams.locator('.rb-status').textContent()).toBe('exited with code 2')
    expect(await streams.locator('.rb-runtime').textContent()).toMatch(/^ran at build time with python \d+\.\d+\.\d+$/)
  })

  it('folds long output into <details> and keeps the page short', async () => {
    const page = await open(plain, { javaScriptEnabled: false })
    const long = figure(page, 'Long')
    const fold = long.locator('details.rb-fold')
    expect(await fold.getAttribute('open')).toBeNull()
    expect(await fold.locator('summary').textContent()).toBe('180 more lines of stdout')
    expect(await long.locator('.rb-stdout > pre').textContent()).toBe(`stdout${[...Array(20).keys()].map((i) => `${i}\n`).join('')}`)
    // The first 20 lines show whole: their box does not scroll.
    const lines = (el: { clientHeight: number; scrollHeight: number }) => {
      const style = getComputedStyle(el)
      return { shown: Math.round((el.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)) / parseFloat(style.lineHeight)), scrolls: el.scrollHeight > el.clientHeight }
    }
    expect(await long.locator('.rb-stdout > pre').evaluate(lines)).toEqual({ shown: 20, scrolls: false })
    const folded = (await long.boundingBox())!.height
    expect(folded).toBeLessThan(800)
    await fold.locator('summary').click()
    expect(await fold.locator('pre').textContent()).toBe([...Array(180).keys()].map((i) => `${i + 20}\n`).join(''))
    // Open, the rest scrolls in a box 30 lines high.
    expect(await fold.locator('pre').evaluate(lines)).toEqual({ shown: 30, scrolls: true })
  })
})

describe('the footer', () => {
  it('says a local build ran on the build machine, on a 320 px wide page where nothing is wider than its block; Reset brings it back', async () => {
    const page = await open(local, { viewport: { width: 320, height: 640 } })
    const block = figure(page, 'Streams')
    expect(await block.locator('.rb-runtime').textContent()).toMatch(/^ran at build time with python [\d.]+ on the build machine$/)
    type Box = { scrollWidth: number; clientWidth: number }
    expect(await page.locator('html').evaluate((el: Box) => el.scrollWidth)).toBe(320)
    for (const part of await page.locator('figure.rb-snippet, .rb-footer').all()) {
      const { scrollWidth, clientWidth } = await part.evaluate((el: Box) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }))
      expect(scrollWidth).toBeLessThanOrEqual(clientWidth)
    }

    const baked = await block.locator('.rb-runtime').innerHTML()
    await page.getByRole('button', { name: 'Run Streams' }).click()
    await eventually(() => block.locator('.rb-runtime').textContent()).toMatch(/^ran just now with python /)
    await page.getByRole('button', { name: 'Reset Streams' }).click()
    expect(await block.locator('.rb-runtime').innerHTML()).toBe(baked)
  })

  it('without a live endpoint is one line of text: no band kept for buttons that never come, at 1280 or 380 px', async () => {
    for (const width of [1280, 380]) {
      const page = await open(plain, { viewport: { width, height: 800 } })
      const footer = figure(page, 'Streams').locator('.rb-footer')
      expect(await footer.locator('.rb-actions').count()).toBe(0)
      type Box = { getBoundingClientRect(): { height: number } }
      const [outer, line] = await Promise.all([footer.evaluate((el: Box) => el.getBoundingClientRect().height), footer.locator('.rb-runtime').evaluate((el: Box) => el.getBoundingClientRect().height)])
      // The line and the footer's padding (.4em top and bottom), nothing more.
      expect(outer - line).toBeLessThan(16)
    }
  })
})

describe('the copy button', () => {
  it('copies the code from the keyboard, without a live endpoint, and says so', async () => {
    const page = await open(plain, { permissions: ['clipboard-read', 'clipboard-write'] })
    const copy = figure(page, 'Marked').getByRole('button', { name: 'Copy' })
    await copy.waitFor()
    await page.keyboard.press('Tab') // the first focusable element of the page is the first block's copy button
    expect(await copy.evaluate((el) => el === document.activeElement)).toBe(true)
    expect(await copy.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid')
    // Every text the button shows, however briefly.
    await copy.evaluate((el: { textContent: string }) => {
      const shown: string[] = ((globalThis as unknown as { shown: string[] }).shown = [])
      new (globalThis as unknown as { MutationObserver: new (f: () => void) => { observe(n: unknown, o: object): void } }).MutationObserver(() => shown.push(el.textContent)).observe(el, { childList: true })
    })
    const shown = () => page.evaluate(() => (globalThis as unknown as { shown: string[] }).shown)
    await page.keyboard.press('Enter')
    await eventually(shown).toContain('Copied')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(MARKED)
    // Back to its name a moment later.
    await eventually(shown).toEqual(['Copied', 'Copy'])
  })

  it('hides no code: on a 320 px page the line beside it scrolls clear of it', async () => {
    const page = await open(plain, { viewport: { width: 320, height: 640 } })
    const block = figure(page, 'Marked')
    const copy = block.getByRole('button', { name: 'Copy' })
    await copy.waitFor()
    await block.locator('pre.rb-code').evaluate((el: { scrollLeft: number; scrollWidth: number }) => void (el.scrollLeft = el.scrollWidth))
    const button = (await copy.boundingBox())!
    // Where the first line's text ends, scrolled as far as it goes.
    const text = await block.locator('.rb-line').first().evaluate((line) => {
      const range = document.createRange()
      range.selectNodeContents(line)
      const { top, right } = range.getBoundingClientRect()
      return { top, right }
    })
    expect(text.top).toBeLessThan(button.y + button.height) // beside the button, not below it
    expect(text.right).toBeLessThanOrEqual(button.x)
  })

  it('stays readable on a dark page that does not declare `color-scheme`', async () => {
    const page = await open(plain, { colorScheme: 'dark' })
    const copy = figure(page, 'Marked').getByRole('button', { name: 'Copy' })
    await copy.waitFor()
    // A blog whose dark mode is only a media query on its own colours (through the CSSOM: the CSP forbids inline styles).
    await page.locator('body').evaluate((body: { style: { color: string; background: string } }) => {
      body.style.color = 'rgb(221, 221, 221)'
      body.style.background = 'rgb(17, 17, 17)'
    })
    const { color, backgroundColor } = await copy.evaluate((el) => getComputedStyle(el))
    expect(contrast(color, backgroundColor)).toBeGreaterThanOrEqual(4.5)
  })

  it('attaches without moving anything', async () => {
    const context = await site.browser.newContext()
    contexts.push(context)
    const release = await holdRequests(context, '**/assets/runnable-copy.*.js')
    const page = await context.newPage()
    await page.goto(`${plain.origin}/blocks/`, { waitUntil: 'commit' })
    const figures = page.locator('figure.rb-snippet')
    await eventually(() => page.locator('pre.rb-hl:not(.rb-code)').count()).toBe(1)
    // Styled: the stylesheet has been applied, so the boxes are final.
    await eventually(() => figures.first().evaluate((el) => getComputedStyle(el).borderTopStyle)).toBe('solid')
    // The blocks, the ordinary fence, and where each block's code starts (its box may narrow for the copy button's column).
    const boxes = async () => [
      ...(await Promise.all((await page.locator('figure.rb-snippet, pre.rb-hl:not(.rb-code)').all()).map((f) => f.boundingBox()))),
      ...(await Promise.all((await page.locator('.rb-code code').all()).map((c) => c.evaluate((el) => {
        const range = document.createRange()
        range.selectNodeContents(el)
        const { top, left } = range.getBoundingClientRect()
        return { top, left }
      })))),
    ]
    const baked = await boxes()
    expect(await page.locator('button:visible').count()).toBe(0)
    release()
    await eventually(() => page.locator('button:visible').count()).toBe(5)
    expect(await boxes()).toEqual(baked)
  })
})

describe('live runs', () => {
  it('Edit shows the same text, pressed; Reset brings back the highlighted code and the baked output', async () => {
    const page = await open(live)
    const block = figure(page, 'Marked')
    const edit = page.getByRole('button', { name: 'Edit Marked' })
    const bakedCode = await block.locator('pre.rb-code').innerHTML()
    const bakedOutput = await block.locator('.rb-output').innerHTML()
    const unpressed = await edit.evaluate((el) => getComputedStyle(el).backgroundColor)
    await edit.click()
    await eventually(() => edit.getAttribute('aria-pressed')).toBe('true')
    expect(await edit.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe(unpressed)
    expect(await block.locator('textarea').inputValue()).toBe(MARKED)

    await block.locator('textarea').fill('print("edited")')
    await page.getByRole('button', { name: 'Run Marked' }).click()
    await eventually(() => block.locator('.rb-stdout').textContent()).toBe('stdoutedited\n')
    expect(await block.locator('.rb-runtime').textContent()).toMatch(/^ran just now with python \d+\.\d+\.\d+$/)

    await page.getByRole('button', { name: 'Reset Marked' }).click()
    expect(await block.locator('pre.rb-code').innerHTML()).toBe(bakedCode)
    expect(await block.locator('.rb-output').innerHTML()).toBe(bakedOutput)
    expect(await block.locator('.rb-runtime').textContent()).toMatch(/^ran at build time with python /)
    expect(await edit.getAttribute('aria-pressed')).toBe('false')
  })

  it('closing the editor unchanged keeps the highlighting', async () => {
    const page = await open(live)
    const block = figure(page, 'Two files')
    const bakedCode = await block.locator('pre.rb-code').innerHTML()
    await page.getByRole('button', { name: 'Edit Two files' }).click()
    await page.getByRole('button', { name: 'Edit Two files' }).click()
    await eventually(() => block.locator('textarea').count()).toBe(0)
    expect(await block.locator('pre.rb-code').innerHTML()).toBe(bakedCode)
  })
})
