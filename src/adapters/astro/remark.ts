import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import { replaceFences } from '../../markdown/plugin.js'
import type { RunnableHost } from '../host.js'
import { type AstroPage, runPage } from './page.js'

/**
 * The runnable step for Astro's unified processor (and MDX): a remark
 * plugin, so it runs before Astro's Shiki, which is the first rehype plugin.
 */
export function remarkAstroRunnable(host: RunnableHost, cwd: string, mode: Pick<AstroPage, 'printProblems' | 'draftsUnder'> = {}) {
  return () =>
    async function transformer(tree: Root, file: VFile) {
      const { blocks, places } = await runPage(host, tree, { fileURL: file.path, body: String(file.value), cwd, ...mode })
      replaceFences(places, blocks)
    }
}
