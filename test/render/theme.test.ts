import { describe, expect, it } from 'vitest'
import { resolveOptions } from '../../src/adapters/options.js'
import { highlightStylesheet } from '../../src/render/highlight.js'
import { contrast, DEFAULT_COLOR_SCHEME, groundProperties, schemeStylesheet } from '../../src/render/theme.js'
import { snippetBlock } from '../../src/render/to-hast.js'
import { createRunnableHost } from '../../src/adapters/host.js'
import { fence, makeProject } from '../helpers/project.js'
import { startPistonServer } from '../piston-server/index.js'
import { toHtml } from './html.js'

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number]
const properties = (css: string) => Object.fromEntries(css.split(';').map((d) => d.split(':') as [string, string]))

describe('the grounds', () => {
  it('makes every text colour of a ground read at AA on the background, the output area and a marked line', () => {
    // Prism okaidia's comment grey and a pale yellow: unreadable as they are, on a light and a dark ground.
    for (const ground of [{ bg: '#ffffff', fg: '#24292e', tokens: ['#f8f8f2', '#e6db74', '#6a737d'] }, { bg: '#24292e', fg: '#e1e4e8', tokens: ['#6a737d', '#1f2328'] }]) {
      const { properties: css, tokens } = groundProperties(ground)
      const p = properties(css)
      const grounds = [p['--rb-t-bg']!, p['--rb-t-tint']!, p['--rb-t-mark']!].map(rgb)
      const texts = [...tokens, p['--rb-t-fg']!, p['--rb-t-muted']!, p['--rb-t-error']!, p['--rb-t-warn']!, ...Array.from({ length: 16 }, (_, i) => p[`--rb-t-${i}`]!)]
      for (const text of texts) for (const under of grounds) expect(contrast(rgb(text), under), `${text} on ${under}`).toBeGreaterThanOrEqual(4.5)
    }
  })

  it('keeps a colour that already reads as it is', () => {
    expect(groundProperties({ bg: '#ffffff', fg: '#000000', tokens: ['#0000ff'] }).tokens).toEqual(['#0000ff'])
  })

  it('says which scheme a ground is, for native controls and scrollbars', () => {
    expect(groundProperties({ bg: '#0d1117', fg: '#e6edf3', tokens: [] }).properties).toContain('--rb-t-scheme:dark')
    expect(groundProperties({ bg: '#ffffff', fg: '#1f2328', tokens: [] }).properties).toContain('--rb-t-scheme:light')
  })
})

describe('the scheme rules', () => {
  const grounds = { light: { bg: '#ffffff', fg: '#111111', tokens: ['#111111'] }, dark: { bg: '#000000', fg: '#eeeeee', tokens: ['#eeeeee'] } }

  it('picks the dark ground by the media query unless <html> says light, and whenever it says dark', () => {
    const css = schemeStylesheet(grounds)
    expect(css).toContain(':is(.rb-snippet,.rb-hl){--rb-t-bg:#ffffff')
    expect(css).toContain('@media(prefers-color-scheme:dark){\n:root:not([data-theme=light], .light) :is(.rb-snippet,.rb-hl){--rb-t-bg:#000000')
    expect(css).toContain(':root:is([data-theme=dark], .dark) :is(.rb-snippet,.rb-hl){--rb-t-bg:#000000')
    expect(css).toContain(':root:is([data-theme=dark], .dark) .rb-hl .rb-line>span{color:var(--rb-cd)}')
  })

  it("takes a site's own selectors, and leaves the OS out when told (then only the dark selector matters)", () => {
    const css = schemeStylesheet(grounds, { dark: 'html.night', light: 'html.day', media: false })
    expect(css).not.toContain('prefers-color-scheme')
    expect(css).not.toContain('data-theme')
    expect(css).toContain(':root:is(html.night) :is(.rb-snippet,.rb-hl){--rb-t-bg:#000000')
    expect(css.slice(css.indexOf('*/'))).not.toContain('html.day')
  })

  it('with one theme, paints the same ground in both schemes', async () => {
    const { highlight } = resolveOptions({ configFile: false, highlight: { theme: 'github-dark' } }, {}, '/')
    expect(highlight).toEqual({ light: 'github-dark', dark: 'github-dark' })
    const css = await highlightStylesheet(highlight)
    const bgs = [...css.matchAll(/--rb-t-bg:(#[0-9a-f]{6})/g)].map((m) => m[1])
    expect(new Set(bgs)).toEqual(new Set(['#24292e']))
  })

  it('without highlighting, still gives a block its light and dark grounds', async () => {
    const css = await highlightStylesheet(false)
    expect(css).toContain('--rb-t-bg:#ffffff')
    expect(css).toContain('--rb-t-bg:#0d1117')
  })
})

describe('the colorScheme and highlight.theme options', () => {
  const resolve = (options: object) => resolveOptions({ configFile: false, ...options }, {}, '/')

  it('default to the OS plus [data-theme] and .dark/.light; each key given replaces its default', () => {
    expect(resolve({}).colorScheme).toEqual(DEFAULT_COLOR_SCHEME)
    expect(resolve({ colorScheme: { dark: '.theme-dark' } }).colorScheme).toEqual({ ...DEFAULT_COLOR_SCHEME, dark: '.theme-dark' })
  })

  it('refuse what is not a selector or a switch, with a short message', () => {
    expect(() => resolve({ colorScheme: { dark: 'x{}' } })).toThrow('runnable-blog: colorScheme.dark must be a CSS selector (no braces, semicolons, comments or <), got "x{}"')
    expect(() => resolve({ colorScheme: { light: '' } })).toThrow('runnable-blog: colorScheme.light must be a CSS selector, got ""')
    expect(() => resolve({ colorScheme: { media: 'no' } })).toThrow('runnable-blog: colorScheme.media must be true or false, got "no"')
    expect(() => resolve({ colorScheme: { sepia: '.x' } })).toThrow('runnable-blog: colorScheme.sepia is not a setting (known: dark, light, media)')
    expect(() => resolve({ colorScheme: 'dark' })).toThrow('runnable-blog: colorScheme must be { dark, light, media }, got "dark"')
    expect(() => resolve({ highlight: { theme: 'nordic' } })).toThrow(`runnable-blog: highlight.theme must name one of Shiki's themes`)
    expect(() => resolve({ highlight: { theme: 'nord', dark: 'nord' } })).toThrow('runnable-blog: highlight.theme is one theme for both schemes; give it or light and dark, not both')
  })
})

describe('a failed expectation', () => {
  it('is said in the block, in words, and the block counts as failed', () => {
    const response = { language: 'python', version: '3.11.2', run: { stdout: '42\n', stderr: '', output: '42\n', code: 0, signal: null } }
    const html = toHtml(snippetBlock({ language: 'python', code: 'print(42)', response, unmet: ['stdout does not match the output fence'] }))
    expect(html).toContain('data-rb-status="failed"')
    expect(html).toContain('<p class="rb-notice rb-notice--unexpected" data-pagefind-ignore="">✗ stdout does not match the output fence</p>')
    expect(toHtml(snippetBlock({ language: 'python', code: 'print(42)', response }))).toContain('data-rb-status="ok"')
  })

  it('is said in the block a build renders, for a mismatched output fence and a wrong exit, in a sentence whatever the ending', async () => {
    const [server, project] = await Promise.all([startPistonServer(), makeProject({})])
    try {
      const host = createRunnableHost({ pistonUrl: server.url, configFile: false, highlight: false }, { cwd: project.dir, env: {} })
      const markdown = [fence('python run title="Mismatch"', 'print(6 * 7)'), fence('output', '41'), fence('python run title="Exit" exit=3', 'print("fine")'), fence('c run', 'int main(void) { return undeclared; }'), fence('python run', 'print("A" * 2000)')].join('\n')
      const html = await host.render(markdown, { path: 'post.md' })
      await host.close()
      const blocks = html.split('<figure').slice(1)
      expect(blocks.map((b) => /data-rb-status="(\w+)"/.exec(b)?.[1])).toEqual(['failed', 'failed', 'failed', 'failed'])
      expect(blocks[0]).toContain('<p class="rb-notice rb-notice--unexpected" data-pagefind-ignore="">✗ stdout does not match the output fence</p>')
      expect(blocks[1]).toContain('<p class="rb-notice rb-notice--unexpected" data-pagefind-ignore="">✗ expected exit code 3, but it exited with code 0</p>')
      expect(blocks[2]).toContain('<p class="rb-notice rb-notice--unexpected" data-pagefind-ignore="">✗ expected exit code 0, but it failed to compile with exit code 1</p>')
      expect(blocks[3]).toMatch(/<p class="rb-notice rb-notice--unexpected" data-pagefind-ignore="">✗ expected exit code 0, but it was killed: (stdout|the output most likely) exceeded /)
    } finally {
      await Promise.all([server.close(), project.remove()])
    }
  })
})
