import remarkFrontmatter from 'remark-frontmatter'
import remarkMdx from 'remark-mdx'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { collectSnippets } from '../markdown/collect.js'
import { nestingProblem } from '../markdown/nesting.js'
import { VFile } from 'vfile'
import { shortcodeCall } from '../adapters/eleventy/shortcode.js'
import { listContent, readPost } from './content-files.js'
import type { CliConfig } from './config.js'
import { templateSnippets } from './template-snippets.js'

/**
 * Prints the languages and version selectors the content runs, without
 * running anything: what a Piston needs installed (deploy/install-runtimes).
 */
export async function listRuntimes(config: CliConfig): Promise<number> {
  const parser = unified().use(remarkParse).use(remarkFrontmatter)
  // An MDX page read as MDX reads it, as `check` does (src/adapters/unified-stages.ts).
  const mdxParser = unified().use(remarkParse).use(remarkMdx).use(remarkFrontmatter)
  const wanted = new Map<string, { language: string; version: string }>()
  const files = await Promise.all((await listContent(config.root, config.contentDirs)).map((path) => readPost(config.root, path)))
  // The Eleventy shortcode's calls, as the fences they stand for.
  for (const { path, call } of (await templateSnippets(config.root, config.contentDirs)).calls) {
    const { fence } = shortcodeCall(call.args.map((a) => a.value), call.body, { path, call })
    if (fence) files.push(new VFile({ path, value: fence }))
  }
  for (const file of files) {
    // `check` and the site build report it; here it would only crash the parser.
    if (nestingProblem(String(file.value))) continue
    let tree
    try {
      tree = (file.path.endsWith('.mdx') ? mdxParser : parser).parse(file)
    } catch {
      continue // not valid MDX: `check` says where
    }
    for (const { request } of collectSnippets(tree, file).snippets) {
      if (request) wanted.set(`${request.language}@${request.version}`, { language: request.language, version: request.version })
    }
  }
  const list = [...wanted.values()].sort((a, b) => a.language.localeCompare(b.language) || a.version.localeCompare(b.version))
  console.log(config.json ? JSON.stringify(list) : list.map((r) => `${r.language} ${r.version}`).join('\n'))
  return 0
}
