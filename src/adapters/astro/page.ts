import { readFile } from 'node:fs/promises'
import { relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Element } from 'hast'
import type { Root } from 'mdast'
import rehypeStringify from 'rehype-stringify'
import { unified } from 'unified'
import { VFile } from 'vfile'
import { frontMatterLines } from '../../markdown/front-matter.js'
import { type FenceBlocks, fenceRunner } from '../../markdown/plugin.js'
import type { RunnableHost } from '../host.js'

/** One Markdown page as Astro hands it to a processor: its file, and its body without front matter. */
export interface AstroPage {
  fileURL?: URL | string
  body: string
  cwd: string
}

/**
 * Runs one page's fences (an mdast tree of its body, which may be read-only)
 * through the build's runner and records the page under its path from the
 * project root. Astro removes the front matter before the processor sees the
 * body, so the page's positions are moved down by its lines afterwards.
 */
export async function runPage(host: RunnableHost, tree: Root, page: AstroPage): Promise<FenceBlocks> {
  const { fileURL } = page
  const absolute = fileURL === undefined ? 'page.md' : typeof fileURL === 'string' && !fileURL.startsWith('file:') ? fileURL : fileURLToPath(fileURL)
  const file = new VFile({ path: relative(page.cwd, absolute).split(sep).join('/'), value: page.body })
  const offset = fileURL === undefined ? 0 : frontMatterLines(await readFile(absolute, 'utf8').catch(() => ''))
  host.addPage(file)
  const result = await fenceRunner(host.pluginOptions())(tree, file)
  moveDown(file, offset)
  return result
}

/** Moves every position the page reports down by `lines`. */
function moveDown(file: VFile, lines: number) {
  if (!lines) return
  for (const message of file.messages) {
    if (message.line !== undefined) message.line += lines
    // A place may be the (frozen) position of a node: replaced, not changed.
    const { place } = message
    const down = (point: { line: number; column: number }) => ({ ...point, line: point.line + lines })
    if (place) message.place = 'start' in place ? { start: down(place.start), end: down(place.end) } : down(place)
  }
  for (const record of file.data.snippets ?? []) record.line += lines
}

const html = unified().use(rehypeStringify, { allowDangerousHtml: true })

/** A block as HTML, for a processor that takes raw HTML in place of a node. */
export function blockHtml(block: Element): string {
  return html.stringify({ type: 'root', children: [block] })
}
