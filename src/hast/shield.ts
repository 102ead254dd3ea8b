import type { Element } from 'hast'

/** The comment that opens a block's `pre.rb-code`, before its `code`. */
export const SHIELD = 'runnable-blog'

/**
 * Keeps host highlighters off a block's code, so it stays whole
 * (`pre.rb-code > code` still matches) and is highlighted once, by this
 * package or not at all. Astro's Shiki (unified), rehype-pretty-code,
 * rehype-expressive-code and @shikijs/rehype take a `pre` only when its
 * single (or first) child is the `code` element: a comment goes before it.
 * rehype-highlight takes every `pre > code` with a `language-` class, but
 * none that also has the class `no-highlight`.
 */
export function shieldFromHighlighters(block: Element): Element {
  for (const child of block.children) {
    if (child.type !== 'element') continue
    // The code sits in the block, or in its code box beside the copy button.
    if (child.tagName === 'pre' && (child.properties.className as string[] | undefined)?.includes('rb-code')) {
      for (const code of child.children) if (code.type === 'element' && code.tagName === 'code') code.properties.className = [...((code.properties.className as string[] | undefined) ?? []), 'no-highlight']
      child.children.unshift({ type: 'comment', value: SHIELD })
    } else if (child.tagName === 'div') shieldFromHighlighters(child)
  }
  return block
}
