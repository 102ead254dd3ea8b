import type { Element } from 'hast'

/** The comment that opens a block's `pre.rb-code`, before its `code`. */
export const SHIELD = 'runnable-blog'

/**
 * Keeps host highlighters off a block's code. Astro's Shiki (unified),
 * rehype-pretty-code, rehype-expressive-code and @shikijs/rehype all take a
 * `pre` only when its single (or first) child is the `code` element; a comment
 * before it makes the block's `pre` not theirs, so it stays whole
 * (`pre.rb-code > code` still matches) and its code is highlighted once, by
 * this package or not at all.
 */
export function shieldFromHighlighters(block: Element): Element {
  for (const child of block.children) {
    if (child.type !== 'element') continue
    // The code sits in the block, or in its code box beside the copy button.
    if (child.tagName === 'pre' && (child.properties.className as string[] | undefined)?.includes('rb-code')) child.children.unshift({ type: 'comment', value: SHIELD })
    else if (child.tagName === 'div') shieldFromHighlighters(child)
  }
  return block
}
