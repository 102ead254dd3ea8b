import type { Root } from 'hast'
import type { VFile } from 'vfile'
import { checkPluginOptions, fenceRunner, type RemarkRunnableOptions } from '../markdown/plugin.js'
import { report } from '../markdown/rules.js'
import { hastFences } from './fences.js'

/** Options of `rehypeRunnable`: the same as `remarkRunnable`'s. */
export type RehypeRunnableOptions = RemarkRunnableOptions

/**
 * `remarkRunnable` at the hast stage: for rehype pipelines, MDX and hosts
 * that hand plugins `pre > code` (language as `language-x`, meta on
 * `code.data.meta`). Same options, collection, cache keys, reports and
 * blocks. Put it before any highlighter, which then leaves its blocks alone.
 */
export default function rehypeRunnable(options: RehypeRunnableOptions) {
  const runFences = fenceRunner(checkPluginOptions(options, 'rehypeRunnable'))
  return async function transformer(tree: Root, file: VFile) {
    const { tree: fences, slots, highlighted } = hastFences(tree)
    if (highlighted) {
      const reason = `rehypeRunnable runs after ${highlighted.by}: the code it finds is highlighted already, its fences' languages and options gone, so it cannot run them; put rehypeRunnable before the highlighter in the rehype plugins`
      report(file, { ruleId: 'plugin-order', reason, place: highlighted.position })
    }
    const { blocks } = await runFences(fences, file)
    // Last first, so that removing a `pre` never shifts one still to be done.
    for (const [node, { parent, index }] of [...slots].toReversed()) {
      if (!blocks.has(node)) continue
      const block = blocks.get(node)
      if (block) parent.children[index] = block
      else parent.children.splice(index, 1)
    }
  }
}
