import type { Element } from 'hast'
import rehypeStringify from 'rehype-stringify'
import { unified } from 'unified'

const html = unified().use(rehypeStringify, { allowDangerousHtml: true })

/** An element as HTML, for a host that takes raw HTML in place of a node (Sätteri, markdown-it). */
export function elementHtml(element: Element): string {
  return html.stringify({ type: 'root', children: [element] })
}
