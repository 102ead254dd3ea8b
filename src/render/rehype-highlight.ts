/**
 * Build-only: the rest of a page's code highlighted as runnable blocks are
 * (the same themes, classes and stylesheet), for a blog that wants one look
 * for every fence without a second highlighter.
 */
import type { Element, Root } from 'hast'
import { visit } from 'unist-util-visit'
import { readFenceOptions } from '../markdown/options.js'
import { DEFAULT_THEMES, HIGHLIGHTED_ATTRIBUTE, type HighlightThemes, loadHighlight } from './highlight.js'

/**
 * Highlights every `pre > code` not highlighted yet, in the language of its
 * `language-X` class (plain text without one), with the lines its meta's
 * `{2-4}` names marked as in runnable blocks (a malformed range marks
 * nothing: the fence is not this package's to judge), and marks its `pre`
 * as runnable blocks' code is marked.
 */
export default function rehypeHighlightFences(themes: Partial<HighlightThemes> = {}) {
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
    const highlight = await loadHighlight(pair, found.map((f) => f.language))
    for (const { pre, code, language } of found) {
      const text = code.children.map((child) => (child.type === 'text' ? child.value : '')).join('')
      // Markdown's code ends with a newline, which is not a line of its own.
      const body = text.replace(/\n$/, '')
      const { markedLines } = readFenceOptions(typeof code.data?.meta === 'string' ? code.data.meta : undefined).options
      code.children = [...highlight(body, language, new Set(markedLines)), ...(body === text ? [] : [{ type: 'text' as const, value: '\n' }])]
      pre.properties.className = [...[pre.properties.className ?? []].flat().map(String), 'rb-hl']
      pre.properties[HIGHLIGHTED_ATTRIBUTE] = ''
    }
  }
}
