import type { Code, Root } from 'mdast'
import { mayBeOwnFence } from '../../markdown/collect.js'
import type { RunnableHost } from '../host.js'
import { type AstroPage, blockHtml, blockMdx, runPage } from './page.js'

/** The part of Sätteri's mdast plugin API used here (declared, not imported: `satteri` is Astro's dependency, not ours). */
interface SatteriMdastPlugin {
  name: string
  options: { position: boolean }
  code(node: Readonly<Code>, ctx: SatteriContext): void
  after(root: unknown, ctx: SatteriContext): Promise<void>
}
interface SatteriContext {
  readonly fileURL: URL | undefined
  /** The document's data bag: one object for every pass over it. */
  readonly data: object
  readonly source: string
  readonly sourceFormat: 'markdown' | 'mdx'
  replaceNode(node: Readonly<Code>, content: { raw: string; mdxExpressions?: boolean }): void
  removeNode(node: Readonly<Code>): void
}

/**
 * The runnable step for Sätteri, Astro's default Markdown processor. Astro
 * puts its own highlighter first among the hast plugins, so a hast plugin
 * would only see code already highlighted, its meta gone; this one works in
 * the mdast phase, on the same `code` nodes remarkRunnable reads, and puts
 * each block in as raw HTML, which no highlighter touches.
 *
 * Sätteri builds a JavaScript node only when a plugin reads it: walking a
 * whole tree for its fences built every node of every page (at 2,000 posts,
 * ~0.9 s). Its own walk over code nodes, fences earlier plugins wrote
 * included, tells first which documents have a fence this package could
 * own; only theirs are walked, after it.
 */
export function satteriRunnable(host: RunnableHost, cwd: string, mode: Pick<AstroPage, 'printProblems' | 'draftsUnder'> = {}): SatteriMdastPlugin {
  const withFences = new WeakSet<object>()
  return {
    name: 'runnable-blog',
    options: { position: true },
    code(node, ctx) {
      if (mayBeOwnFence(node)) withFences.add(ctx.data)
    },
    async after(root, ctx) {
      const { blocks } = await runPage(host, root as Root, { fileURL: ctx.fileURL, body: ctx.source, cwd, fences: withFences.has(ctx.data), ...mode })
      for (const [node, block] of blocks) {
        if (block) ctx.replaceNode(node, ctx.sourceFormat === 'mdx' ? { raw: blockMdx(block), mdxExpressions: true } : { raw: blockHtml(block) })
        else ctx.removeNode(node)
      }
    },
  }
}
