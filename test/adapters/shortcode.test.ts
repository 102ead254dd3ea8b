/**
 * The shortcode's parts without a build: the scan of a template's calls, and
 * the placeholders a real markdown-it leaves alone, whatever its options.
 */
import { describe, expect, it } from 'vitest'
import { scanTemplate } from '../../src/adapters/eleventy/template-calls.js'
import { fillShortcodeBlocks, holdBlock, releaseBlocks, shortcodeArgs } from '../../src/adapters/eleventy/shortcode.js'

describe('scanTemplate', () => {
  it('finds each call at its line and column, with its arguments and the body the engine passes', () => {
    const source = '---\ntitle: x\n---\n<p>a</p>\n  {% codeRunner "T, 1", \'bash\', false %}\necho "hi"\n{% endcodeRunner %}\n{%- codeRunner "Trim" "python" -%}\n  print(1)\n{%- endcodeRunner %}\n'
    const { calls } = scanTemplate(source, 'codeRunner')
    expect(calls.map(({ line, column, body, templated, controlled }) => ({ line, column, body, templated, controlled }))).toEqual([
      { line: 5, column: 3, body: '\necho "hi"\n', templated: false, controlled: false },
      // Whitespace control trims the body as the engine does.
      { line: 8, column: 1, body: 'print(1)', templated: false, controlled: false },
    ])
    expect(calls[0]!.args.map(({ value, line, column }) => ({ value, line, column }))).toEqual([
      { value: 'T, 1', line: 5, column: 17 },
      { value: 'bash', line: 5, column: 25 },
      { value: false, line: 5, column: 33 },
    ])
    expect(calls[1]!.args.map((a) => a.value)).toEqual(['Trim', 'python'])
    expect(calls.map((c) => c.codeLine)).toEqual([6, 9])
    expect(scanTemplate('{% codeRunner "Inline", "python" %}print(1){% endcodeRunner %}', 'codeRunner').calls[0]!.codeLine).toBe(1)
    expect(scanTemplate('{% codeRunner "Trim", "python" -%}\n\n\nprint(1){% endcodeRunner %}', 'codeRunner').calls[0]!.codeLine).toBe(4)
  })

  it('skips comments and raw blocks, and marks calls in loops and conditions, and those with template syntax', () => {
    const source = [
      '{# {% codeRunner "No", "bash" %}x{% endcodeRunner %} #}',
      '{% comment %}{% codeRunner "No", "bash" %}x{% endcodeRunner %}{% endcomment %}',
      '{% raw %}{% codeRunner "No", "bash" %}x{% endcodeRunner %}{% endraw %}',
      '{% for i in list %}{% codeRunner "Loop", "bash" %}echo 1{% endcodeRunner %}{% endfor %}',
      '{% codeRunner title, "bash" %}echo {{ i }}!{% endcodeRunner %}',
      '{% include "partial.njk" %}{% include name %}',
      '{% wrapper "x" %}inside{% endwrapper %}',
    ].join('\n')
    const scan = scanTemplate(source, 'codeRunner')
    expect(scan.calls.map((c) => [c.line, c.controlled, c.templated])).toEqual([
      [4, true, false],
      [5, false, true],
    ])
    expect(scan.calls[1]!.bodyMatches('echo 42!')).toBe(true)
    expect(scan.calls[1]!.bodyMatches('print(42)')).toBe(false)
    expect(scan.references).toEqual(['partial.njk', '*'])
    expect(scan.unknownPairs).toEqual([{ name: 'wrapper', line: 7, column: 1 }])
  })
})

describe('shortcodeArgs', () => {
  it('names each wrong argument', () => {
    expect(shortcodeArgs(['T', 'python']).problems).toEqual([])
    expect(shortcodeArgs(['T', 'python', 'false']).problems.map((p) => p.index)).toEqual([2])
    expect(shortcodeArgs(['T']).problems[0]!.reason).toContain('the language, is missing')
    expect(shortcodeArgs(['T', 'py thon', true, 1]).problems.map((p) => p.index)).toEqual([1, 3])
    expect(shortcodeArgs([3, 'python']).problems[0]!.reason).toBe("the shortcode's first argument, the title, must be a string, got 3")
  })
})

// Eleventy's own markdown-it (a dependency of @11ty/eleventy, without types installed here).
const markdownIt = ((await import('markdown-it' as string)) as { default: (options: object) => { render(text: string): string } }).default

describe('fillShortcodeBlocks', () => {
  const block = '<figure class="rb-snippet">block</figure>'
  it.each([
    ['raw HTML on', { html: true }],
    ['raw HTML off', { html: false }],
    ['raw HTML off, typographer on', { html: false, typographer: true }],
  ])('puts the block where markdown-it left the placeholder (%s)', (_, options) => {
    const { placeholder, id } = holdBlock(block)
    const html = markdownIt(options).render(`<div>\n${placeholder}\n</div>\n\nText -- after.\n`)
    const filled = fillShortcodeBlocks(html)
    expect(filled).toContain(block)
    expect(filled).not.toContain('rb-block')
    expect(filled).not.toMatch(/<p>\s*<figure/)
    releaseBlocks([id])
    expect(fillShortcodeBlocks(html)).toBe(html)
  })
})
