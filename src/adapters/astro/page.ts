import { readFile } from 'node:fs/promises'
import { relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Element, ElementContent } from 'hast'
import type { Code, Parent, Root } from 'mdast'
import rehypeStringify from 'rehype-stringify'
import { unified } from 'unified'
import { VFile } from 'vfile'
import { collectSnippets } from '../../markdown/collect.js'
import { draftLine } from '../../markdown/front-matter.js'
import { type FenceBlocks, fenceRunner } from '../../markdown/plugin.js'
import { report } from '../../markdown/rules.js'
import { formatMessages } from '../../report/format.js'
import type { RunnableHost } from '../host.js'
import { bodyStart, movedTree } from './entry-body.js'

/** One Markdown page as Astro hands it to a processor. */
export interface AstroPage {
  fileURL?: URL | string
  /**
   * What the processor parsed: a page's source with its front matter blanked
   * out (positions are the file's), or a content entry's body, which starts
   * after it (positions are moved to the file's).
   */
  body: string
  cwd: string
  /**
   * False when the processor's own walk found no fence this package could
   * own (Sätteri's code visitor): the page is recorded with nothing, and
   * neither its tree nor its file is read.
   */
  fences?: boolean
  /** Print the page's problems as soon as it is rendered (`astro dev`, which prints no build report). */
  printProblems?: boolean
  /**
   * In a production build of a Starlight site, its docs folder (`src/content/docs/`,
   * from the project root): Starlight does not publish a docs entry whose
   * front matter says `draft: true`, so its fences are left to the site and
   * cost nothing, as a draft an Eleventy preprocessor leaves out. (Astro
   * itself publishes a page in `src/pages` whatever its front matter says.)
   */
  draftsUnder?: string
}

/**
 * Runs one page's fences (an mdast tree, which may be read-only) through the
 * build's runner and records the page under its path from the project root.
 */
export async function runPage(host: RunnableHost, tree: Root, page: AstroPage): Promise<FenceBlocks> {
  const { fileURL } = page
  const absolute = fileURL === undefined ? undefined : typeof fileURL === 'string' && !fileURL.startsWith('file:') ? fileURL : fileURLToPath(fileURL)
  const path = relative(page.cwd, absolute ?? 'page.md').split(sep).join('/')
  if (page.fences === false) {
    // Recorded all the same: it replaces the page's record of an earlier render (astro dev), which may have failed.
    host.addPage(new VFile({ path }))
    return { blocks: new Map(), places: [] }
  }
  // The file as it is now: what the processor was handed comes from it.
  const source = absolute === undefined ? undefined : await readFile(absolute, 'utf8').catch(() => undefined)
  const start = source === undefined ? undefined : bodyStart(source, page.body)
  const draft = page.draftsUnder !== undefined && source !== undefined && path.startsWith(page.draftsUnder) ? draftLine(source) : undefined
  if (draft !== undefined) {
    const file = new VFile({ path })
    const count = collectSnippets(tree, new VFile({ path, value: page.body })).snippets.length
    const them = count === 1 ? 'it' : 'them'
    const reason = `draft: true: a production build does not publish this page, so its ${count === 1 ? 'snippet is' : `${count} snippets are`} not run (astro dev and runnable-blog check run ${them})`
    if (count) report(file, { ruleId: 'draft-not-run', reason, place: { line: draft, column: 1 } })
    host.addPage(file)
    return { blocks: new Map(), places: [] }
  }
  const runner = fenceRunner(host.pluginOptions())
  const run = async (tree: Root, file: VFile) => {
    host.addPage(file)
    const ran = await runner(tree, file)
    if (page.printProblems) for (const line of formatMessages([file])) console.error(line)
    return ran
  }
  if (!start) return run(tree, new VFile({ path, value: page.body }))
  const file = new VFile({ path, value: '\n'.repeat(start.lines) + ' '.repeat(start.columns) + page.body })
  const moved = movedTree(tree, start)
  const { blocks, places } = await run(moved.tree, file)
  const original = <T>(node: T) => moved.originals.get(node as Code) as T
  return {
    blocks: new Map([...blocks].map(([node, block]) => [original(node), block])),
    places: places.map(({ node, parent, index }) => ({ node: original(node), parent: original<Parent>(parent), index })),
  }
}

const html = unified().use(rehypeStringify, { allowDangerousHtml: true })

/** A block as HTML, for a processor that takes raw HTML in place of a node. */
export function blockHtml(block: Element): string {
  return html.stringify({ type: 'root', children: [block] })
}

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
