import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Element, ElementContent } from 'hast'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_THEMES, type Highlight, highlightStylesheet, type HighlightThemes, loadHighlight } from '../../src/render/highlight.js'
import { DEFAULT_COLOR_SCHEME } from '../../src/render/theme.js'
import { type CachedRender, createRenderCache, type RenderCache, renderWithCache } from '../../src/render/render-cache.js'
import { snippetBlock } from '../../src/render/to-hast.js'
import { toHtml } from './html.js'

const folders: string[] = []
afterEach(async () => {
  while (folders.length) await rm(folders.pop()!, { recursive: true, force: true })
})
async function folder() {
  const dir = await mkdtemp(join(tmpdir(), 'rb-render-cache-'))
  folders.push(dir)
  return dir
}

const response = { language: 'python', version: '3.12.0', run: { stdout: 'hi <b>\n', stderr: '', output: 'hi <b>\n', code: 0, signal: null } }
const input = { language: 'python', code: 'def f(n):\n    return n * 2\nprint(f(21))', title: 'Double', meta: 'run {2}', marked: new Set([2]), stdin: 'x\n', stdinLanguage: 'text', response }

/** A snippet block rendered through `cache`, counting how often it had to be made. */
function counted(cache: RenderCache | false, block = input) {
  const made = { count: 0 }
  const item: CachedRender = {
    kind: 'snippet',
    input: block,
    languages: [block.language],
    render: (highlight: Highlight) => {
      made.count++
      return [snippetBlock({ ...block, highlight })]
    },
  }
  return { made, html: async (themes = DEFAULT_THEMES) => toHtml((await renderWithCache(themes, [item], (languages) => loadHighlight(themes, languages), { cache }))[0]![0] as Element) }
}

describe('the render cache', () => {
  it('makes a block once: a later build (a new process: empty memory, the same folder) reads the same block from disk', async () => {
    const dir = await folder()
    const fresh = counted(false)
    const expected = await fresh.html()
    expect(expected).toContain('<span class="rb-line rb-mark">')

    const first = counted(createRenderCache({ dir }))
    expect(await first.html()).toBe(expected)
    expect(await first.html()).toBe(expected)
    expect(first.made.count).toBe(1)
    expect((await readdir(dir)).filter((name) => name.endsWith('.json'))).toHaveLength(1)

    const later = counted(createRenderCache({ dir }))
    expect(await later.html()).toBe(expected)
    expect(later.made.count).toBe(0)
  })

  it('is missed when the themes, the stamp (our version, Shiki’s) or anything the block shows changes', async () => {
    const dir = await folder()
    await counted(createRenderCache({ dir, stamp: 'v1' })).html()

    const otherThemes = counted(createRenderCache({ dir, stamp: 'v1' }))
    const nord = await otherThemes.html({ light: 'min-light', dark: 'nord' })
    expect(otherThemes.made.count).toBe(1)
    expect(nord).toBe(await counted(false).html({ light: 'min-light', dark: 'nord' }))

    const otherVersion = counted(createRenderCache({ dir, stamp: 'v2' }))
    await otherVersion.html()
    expect(otherVersion.made.count).toBe(1)

    const otherOutput = counted(createRenderCache({ dir, stamp: 'v1' }), { ...input, response: { ...response, run: { ...response.run, stdout: 'bye\n' } } })
    expect(await otherOutput.html()).toContain('bye')
    expect(otherOutput.made.count).toBe(1)

    const otherMarks = counted(createRenderCache({ dir, stamp: 'v1' }), { ...input, marked: new Set([1]) })
    await otherMarks.html()
    expect(otherMarks.made.count).toBe(1)

    const same = counted(createRenderCache({ dir, stamp: 'v1' }))
    await same.html()
    expect(same.made.count).toBe(0)
  })

  it('stamps entries with our version and Shiki’s by default', async () => {
    const dir = await folder()
    const ours = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
    const key = createRenderCache({ dir }).key('snippet', DEFAULT_THEMES, input)
    expect(createRenderCache({ dir, stamp: `runnable-blog ${ours.version}` }).key('snippet', DEFAULT_THEMES, input)).not.toBe(key)
    expect(createRenderCache({ dir }).key('snippet', DEFAULT_THEMES, input)).toBe(key)
  })

  it('reads a damaged, truncated or misplaced entry as a miss, and writes it again', async () => {
    const dir = await folder()
    const cache = createRenderCache({ dir })
    const key = cache.key('snippet', DEFAULT_THEMES, input)
    const expected = await counted(false).html()
    const other = createRenderCache({ dir }).key('snippet', DEFAULT_THEMES, { ...input, title: 'Other' })
    await counted(createRenderCache({ dir }), { ...input, title: 'Other' }).html()
    const misplaced = await readFile(join(dir, `${other}.json`), 'utf8')
    for (const damage of ['', '{"key":', 'null', JSON.stringify({ key, value: [['span', {}, [42]]] }), misplaced]) {
      await writeFile(join(dir, `${key}.json`), damage)
      const run = counted(createRenderCache({ dir }))
      expect(await run.html(), damage).toBe(expected)
      expect(run.made.count, damage).toBe(1)
      expect(JSON.parse(await readFile(join(dir, `${key}.json`), 'utf8')).key).toBe(key)
    }
  })

  // Plain code's (highlight: false) too: making the ANSI colours readable on its grounds is work a warm build need not redo.
  it.each([
    ['the theme pair’s', DEFAULT_THEMES],
    ['plain code’s', false],
  ] as const)('keeps %s stylesheet: a later build gets the same rules without making them again', async (_, themes) => {
    const dir = await folder()
    const css = await highlightStylesheet(themes, false)
    expect(await highlightStylesheet(themes, createRenderCache({ dir }))).toBe(css)
    const cache = createRenderCache({ dir })
    // Keyed by the site's colour-scheme switch too: it is part of the rules (src/render/theme.ts).
    const key = cache.key('stylesheet', themes, DEFAULT_COLOR_SCHEME)
    expect(await cache.get(key)).toEqual([{ type: 'text', value: css }])
    await cache.set(key, [{ type: 'text', value: '/* from the cache */' }])
    expect(await highlightStylesheet(themes, cache)).toBe('/* from the cache */')
    expect(await highlightStylesheet(themes, cache, { ...DEFAULT_COLOR_SCHEME, media: !DEFAULT_COLOR_SCHEME.media })).not.toBe('/* from the cache */')
    const others: Array<HighlightThemes | false> = [false, DEFAULT_THEMES, { light: 'min-light', dark: 'nord' }]
    for (const other of others.filter((t) => t !== themes)) expect(await highlightStylesheet(other, cache)).not.toBe('/* from the cache */')
  })

  it('gives a copy: a later stage changing the block changes neither what is stored nor the next page’s block', async () => {
    const cache = createRenderCache()
    const item: CachedRender = { kind: 'snippet', input, languages: ['python'], render: (highlight) => [snippetBlock({ ...input, highlight })] }
    const first = (await renderWithCache(DEFAULT_THEMES, [item], (languages) => loadHighlight(DEFAULT_THEMES, languages), { cache }))[0]![0]
    const html = toHtml(first as Element)
    ;(first as Element).children = []
    ;(first as Element).properties.id = 'changed'
    const second = (await renderWithCache(DEFAULT_THEMES, [item], (languages) => loadHighlight(DEFAULT_THEMES, languages), { cache }))[0]![0]
    expect(toHtml(second as Element)).toBe(html)
  })

  it('stays within its bounds: the oldest files go beyond the disk bound, the least recently used blocks beyond the memory bound', async () => {
    const dir = await folder()
    const cache = createRenderCache({ dir, maxDiskEntries: 10 })
    const text = (n: number): ElementContent[] => [{ type: 'text', value: `block ${n}` }]
    // Written before this process's first write: that write prunes.
    for (let n = 0; n < 12; n++) {
      const name = join(dir, `old-${String(n).padStart(2, '0')}.json`)
      await writeFile(name, '{}')
      await utimes(name, 1000 + n, 1000 + n)
    }
    await cache.set(cache.key('x', DEFAULT_THEMES, 'new'), text(0))
    const left = await readdir(dir)
    expect(left.length).toBeLessThanOrEqual(10)
    expect(left).toContain(`${cache.key('x', DEFAULT_THEMES, 'new')}.json`)
    expect(left).not.toContain('old-00.json')
    expect(left.some((name) => name.endsWith('.tmp'))).toBe(false)

    const small = createRenderCache({ maxMemoryChars: 200 })
    const keys = Array.from({ length: 10 }, (_, n) => small.key('x', DEFAULT_THEMES, n))
    for (const [n, key] of keys.entries()) await small.set(key, text(n))
    expect(await small.get(keys[0]!)).toBeUndefined()
    expect(await small.get(keys[9]!)).toEqual(text(9))
  })
})
