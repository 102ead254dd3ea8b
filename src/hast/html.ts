import type { Element, ElementContent } from 'hast'

/** Raw HTML as a hast node (what remark-rehype makes of HTML in Markdown): serialised as it is. */
export interface RawHtml {
  type: 'raw'
  value: string
}

// hast-util-to-html is loaded with the first node that is not raw HTML: a warm build's blocks come from the render cache as HTML.
let serializer: Promise<typeof import('hast-util-to-html').toHtml> | undefined

/** Nodes as HTML, for a host that takes raw HTML in place of nodes (Eleventy's markdown-it, a shortcode's block). */
export async function nodesHtml(nodes: Array<ElementContent | RawHtml>): Promise<string> {
  if (nodes.every((node) => node.type === 'raw')) return nodes.map((node) => (node as RawHtml).value).join('')
  const toHtml = await (serializer ??= import('hast-util-to-html').then((m) => m.toHtml))
  return toHtml({ type: 'root', children: nodes as ElementContent[] }, { allowDangerousHtml: true })
}

/** One element as HTML (see `nodesHtml`). */
export const elementHtml = (element: Element | RawHtml): Promise<string> => nodesHtml([element])
