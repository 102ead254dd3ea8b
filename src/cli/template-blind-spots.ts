/**
 * What `check` cannot see that a site generator may: Eleventy runs a
 * template engine over a Markdown page before the Markdown (Liquid unless its
 * config's `markdownTemplateEngine` says otherwise, or what the page's
 * `templateEngineOverride` names), so a run fence there whose program holds
 * template syntax runs as the engine rewrote it. `check` leaves such a fence
 * to that build (the host records it 'build-only') and lists it here: one
 * rule, so a fence is either checked or listed. A cache entry that looks
 * unused to `check` may be the build's, so `update --prune` must not delete
 * it. On any other site (Astro, a unified pipeline) or page, `{{ }}` is text
 * and is checked. Configs are read as text, never run. (Shortcode calls are
 * template-snippets.ts's.)
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { VFile } from 'vfile'
import { frontMatterLines } from '../markdown/front-matter.js'
import { eleventyConfigText } from './eleventy-config.js'

/** Whether the site's build runs a template engine over a Markdown page before the Markdown, from the page's source. */
export function markdownTemplating(root: string): (source: string) => boolean {
  const site = siteTemplating(root)
  return (source) => pageTemplating(source) ?? site
}

/** `path:line: reason` for each fence the records say only the site's build can run. */
export function templateBlindSpots(files: VFile[]): string[] {
  return files.flatMap((file) =>
    (file.data.snippets ?? [])
      .filter((s) => s.status === 'build-only')
      .map((s) => `${file.path}${s.line === undefined ? '' : `:${s.line}`}: a run fence holding template syntax (its program is known only when the site is built)`),
  )
}

function siteTemplating(root: string): boolean {
  const config = eleventyConfigText(root)
  if (config !== undefined) return !/\bmarkdownTemplateEngine\s*:\s*false\b/.test(config)
  // An Eleventy site whose config check cannot find (`eleventy --config=…`): Eleventy's default, Liquid.
  try {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as Record<string, Record<string, unknown> | undefined>
    return '@11ty/eleventy' in { ...pkg.dependencies, ...pkg.devDependencies }
  } catch {
    return false
  }
}

/** What the page's own `templateEngineOverride` says, if it has one: an engine besides `md` (`html` is plain text) runs first. */
function pageTemplating(source: string): boolean | undefined {
  const frontMatter = source.split('\n', frontMatterLines(source)).join('\n')
  const value = /^templateEngineOverride[ \t]*:(.*)$/m.exec(frontMatter)?.[1]
  return value?.replace(/#.*|["']/g, '').split(',').some((name) => !['', 'md', 'html', 'false'].includes(name.trim().toLowerCase()))
}
