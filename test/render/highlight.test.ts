import { describe, expect, it } from 'vitest'
import { DEFAULT_THEMES, highlightStylesheet, loadHighlight, themesProblem } from '../../src/render/highlight.js'
import { toHtml } from './html.js'

const html = (children: ReturnType<Awaited<ReturnType<typeof loadHighlight>>>) => toHtml({ type: 'element', tagName: 'code', properties: {}, children })

describe('loadHighlight', () => {
  it('reads a language Shiki does not know as plain text, without an error', async () => {
    const highlight = await loadHighlight(DEFAULT_THEMES, ['no-such-language', ''])
    expect(html(highlight('a <b>\nc', 'no-such-language'))).toBe('<code><span class="rb-line">a &#x3C;b></span>\n<span class="rb-line">c</span></code>')
    expect(html(highlight('x', ''))).toBe('<code><span class="rb-line">x</span></code>')
  })

  it('knows a Piston language by its Shiki name (sqlite3 is sql) and marks the lines asked for', async () => {
    const highlight = await loadHighlight(DEFAULT_THEMES, ['sqlite3'])
    // The first line after the grammar loads too (Shiki alone sometimes colours it all as its first token).
    expect(html(highlight('SELECT 1;\nSELECT 2;', 'sqlite3', new Set([2])))).toBe(
      '<code><span class="rb-line"><span class="rb-l5 rb-d5">SELECT</span> <span class="rb-l2 rb-d2">1</span>;</span>\n' +
        '<span class="rb-line rb-mark"><span class="rb-l5 rb-d5">SELECT</span> <span class="rb-l2 rb-d2">2</span>;</span></code>',
    )
  })

  it('colours a language outside the JavaScript engine’s list with Oniguruma, beside one inside it', async () => {
    const highlight = await loadHighlight(DEFAULT_THEMES, ['php', 'python'])
    expect(html(highlight('<?php echo "hi"; ?>', 'php'))).toMatch(/<span class="rb-l\d+ rb-d\d+">echo<\/span>/)
    expect(html(highlight('print("hi")', 'python'))).toMatch(/<span class="rb-l\d+ rb-d\d+">print<\/span>/)
  })
})

describe('themes', () => {
  it('gives the grounds and token colours of the chosen pair, the dark ones under prefers-color-scheme: dark', async () => {
    const css = await highlightStylesheet({ light: 'min-light', dark: 'nord' })
    expect(css).toMatch(/^\/\* Code colours: Shiki's min-light and nord \*\/\n/)
    expect(css).toMatch(/\.rb-l0\{--rb-cl:#[0-9a-f]{6}\}/)
    expect(css).toMatch(/\n:is\(\.rb-snippet,\.rb-hl\)\{--rb-t-bg:#ffffff;/)
    expect(css).toMatch(/\n@media\(prefers-color-scheme:dark\)\{\n:root:not\([^)]*\) :is\(\.rb-snippet,\.rb-hl\)\{--rb-t-bg:#2e3440;--rb-t-fg:#d8dee9;/)
  })

  it('names what is wrong with a theme pair', () => {
    expect(themesProblem({ light: 'github-light', dark: 'nord' })).toBeUndefined()
    expect(themesProblem({ dark: 'nordic' })).toBe(`dark must name one of Shiki's themes (e.g. github-light), got "nordic"`)
    expect(themesProblem({ sepia: 'nord' } as never)).toBe('sepia is not a colour scheme (light, dark)')
  })
})
