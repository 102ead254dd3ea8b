import type { Code, Root } from 'mdast'
import type { RunnableHost } from '../host.js'
import { blockHtml, blockMdx, runPage } from './page.js'

/** The part of Sätteri's mdast plugin API used here (declared, not imported: `satteri` is Astro's dependency, not ours). */
interface SatteriMdastPlugin {
  name: string
  options: { position: boolean }
  before(root: unknown, ctx: SatteriContext): Promise<void>
}
interface SatteriContext {
  readonly fileURL: URL | undefined
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
 * each block in as raw HTML, which no highlighter touches. `first`: no
 * plugin comes before this one in the processor's list.
 */
export function satteriRunnable(host: RunnableHost, cwd: string, first: () => boolean): SatteriMdastPlugin {
  return {
    name: 'runnable-blog',
    options: { position: true },
    async before(root, ctx) {
      const { blocks } = await runPage(host, root as Root, { fileURL: ctx.fileURL, body: ctx.source, cwd, first: first() })
      for (const [node, block] of blocks) {
        if (block) ctx.replaceNode(node, ctx.sourceFormat === 'mdx' ? { raw: blockMdx(block), mdxExpressions: true } : { raw: blockHtml(block) })
        else ctx.removeNode(node)
      }
    },
  }
}
