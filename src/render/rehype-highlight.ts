/**
 * Build-only: the rest of a page's code highlighted as runnable blocks are
 * (the same themes, classes and stylesheet), for a blog that wants one look
 * for every fence without a second highlighter.
 */
import type { Element, Root } from 'hast'
import { visit } from 'unist-util-visit'
import { readFenceOptions } from '../markdown/options.js'
import { DEFAULT_THEMES, type Highlight, HIGHLIGHTED_ATTRIBUTE, type HighlightThemes, loadHighlight } from './highlight.js'
import { renderWithCache } from './render-cache.js'

/**
 * Highlights every `pre > code` not highlighted yet, in the language of its
 * `language-X` class (plain text without one), with the lines its meta's
 * `{2-4}` names marked as in runnable blocks (a malformed range marks
 * nothing: the fence is not this package's to judge), and marks its `pre`
 * as runnable blocks' code is marked. The colouring comes from the render
 * cache where it has it (see render-cache.ts). `asHtml`: the colouring as
 * raw HTML inside `code`, for a host that takes HTML (renderWithCache).
 */
export default function rehypeHighlightFences(themes: Partial<HighlightThemes> = {}, { asHtml = false }: { asHtml?: boolean } = {}) {
  const pair = { ...DEFAULT_THEMES, ...themes }
  return async function transformer(tree: Root) {
    const found: Array<{ pre: Element; code: Element; language: string }> = []
    visit(tree, 'element', (pre) => {
      const code = pre.children[0]
      if (pre.tagName !== 'pre' || pre.properties[HIGHLIGHTED_ATTRIBUTE] !== undefined || code?.type !== 'element' || code.tagName !== 'code') return
      const language = ([code.properties.className ?? []].flat().map(String).find((c) => c.startsWith('language-')) ?? '').slice('language-'.length)
      found.push({ pre, code, language })
    })
    if (!found.length) return
    const fences = found.map(({ code, language }) => {
      const text = code.children.map((child) => (child.type === 'text' ? child.value : '')).join('')
      // Markdown's code ends with a newline, which is not a line of its own.
      const body = text.replace(/\n$/, '')
      const marked = readFenceOptions(typeof code.data?.meta === 'string' ? code.data.meta : undefined).options.markedLines
      return { kind: 'fence', input: { language, body, marked }, languages: [language], render: (highlight: Highlight) => highlight(body, language, new Set(marked)), newline: body !== text }
    })
    const highlighted = await renderWithCache(pair, fences, (languages) => loadHighlight(pair, languages), { asHtml })
    for (const [i, { pre, code }] of found.entries()) {
      code.children = [...highlighted[i]!, ...(fences[i]!.newline ? [{ type: 'text' as const, value: '\n' }] : [])]
      pre.properties.className = [...[pre.properties.className ?? []].flat().map(String), 'rb-hl']
      pre.properties[HIGHLIGHTED_ATTRIBUTE] = ''
    }
  }
}
