/**
 * What `check` cannot see that a site generator may: template syntax inside
 * a run fence (Eleventy runs Liquid or Nunjucks over a Markdown page before
 * the Markdown, so the program it runs may differ from the one written).
 * Where there is any, a cache entry that looks unused to `check` may be one
 * the site build uses, so `update --prune` must not delete it. (Shortcode
 * calls are template-snippets.ts's.)
 */
import type { VFile } from 'vfile'

const OPENING = /^ {0,3}(`{3,}|~{3,})(.*)$/
const TEMPLATE = /\{\{|\{%/

/** `path:line: reason` for each place; `posts` still hold their text. */
export function templateBlindSpots(posts: VFile[]): string[] {
  const spots: string[] = []
  for (const post of posts) {
    let open: string | undefined
    String(post.value)
      .split('\n')
      .forEach((line, i) => {
        const fence = OPENING.exec(line)
        if (open === undefined) {
          if (fence && /\brun\b/.test(fence[2]!)) open = fence[1]
        } else if (fence && fence[1]![0] === open[0] && fence[1]!.length >= open.length && fence[2]!.trim() === '') open = undefined
        else if (TEMPLATE.test(line)) spots.push(`${post.path}:${i + 1}: template syntax in a run fence`)
      })
  }
  return spots
}
