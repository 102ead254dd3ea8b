import { relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Element, ElementContent } from 'hast'
import type { Root } from 'mdast'
import { VFile } from 'vfile'
import { type FenceBlocks, fenceRunner } from '../../markdown/plugin.js'
import type { RunnableHost } from '../host.js'
import { elementHtml } from '../../hast/html.js'

/** One Markdown page as Astro hands it to a processor. */
export interface AstroPage {
  fileURL?: URL | string
  /** The source with its front matter blanked out (Astro keeps its lines, so positions are the file's). */
  body: string
  cwd: string
}

/**
 * Runs one page's fences (an mdast tree, which may be read-only) through the
 * build's runner and records the page under its path from the project root.
 */
export function runPage(host: RunnableHost, tree: Root, page: AstroPage): Promise<FenceBlocks> {
  const { fileURL } = page
  const absolute = fileURL === undefined ? 'page.md' : typeof fileURL === 'string' && !fileURL.startsWith('file:') ? fileURL : fileURLToPath(fileURL)
  const file = new VFile({ path: relative(page.cwd, absolute).split(sep).join('/'), value: page.body })
  host.addPage(file)
  return fenceRunner(host.pluginOptions())(tree, file)
}

/** A block as HTML, for a processor that takes raw HTML in place of a node. */
export const blockHtml: (block: Element) => string = elementHtml

/**
 * A block as MDX for Sätteri's MDX pages, where raw HTML would be read as
 * Markdown (its text given typographic quotes): elements as JSX, every text
 * and attribute as a string expression, which MDX keeps exactly. JSX elements
 * are no `pre` element to a highlighter, so the block stays whole.
 */
export function blockMdx(node: Element | ElementContent): string {
  if (node.type === 'text') return `{${JSON.stringify(node.value)}}`
  if (node.type !== 'element') return ''
  const attributes = Object.entries(node.properties).map(([name, value]) => {
    const attribute = name === 'className' ? 'class' : name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
    return ` ${attribute}={${JSON.stringify(Array.isArray(value) ? value.join(' ') : String(value))}}`
  })
  return `<${node.tagName}${attributes.join('')}>${node.children.map(blockMdx).join('')}</${node.tagName}>`
}
