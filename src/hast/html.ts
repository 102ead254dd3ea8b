import type { Element } from 'hast'
import { toHtml } from 'hast-util-to-html'

/** An element as HTML, for a host that takes raw HTML in place of a node (Sätteri, markdown-it). */
export function elementHtml(element: Element): string {
  return toHtml(element, { allowDangerousHtml: true })
}
