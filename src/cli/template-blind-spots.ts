/**
 * What `check` cannot see that a site generator may: a paired shortcode in a
 * template, or template syntax inside a run fence (Eleventy runs Liquid or
 * Nunjucks over a Markdown page before the Markdown, so the program it runs
 * may differ from the one written). Where there are any, a cache entry that
 * looks unused to `check` may be one the site build uses, so `update --prune`
 * must not delete it.
 */
import { readFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import type { VFile } from 'vfile'
import { filesUnder } from '../markdown/content-files.js'

const OPENING = /^ {0,3}(`{3,}|~{3,})(.*)$/
const TEMPLATE = /\{\{|\{%/
/** The Eleventy plugin's default paired shortcode (its name can be changed; a renamed one is not found). */
const SHORTCODE = /\{%-?\s*codeRunner\b/
const TEMPLATE_FILE = /\.(njk|liquid|html|webc|hbs|mustache|ejs|haml|pug|11ty\.js|11ty\.cjs|11ty\.mjs)$/i

/** `path:line: reason` for each place; `posts` still hold their text. */
export async function templateBlindSpots(root: string, contentDirs: readonly string[], posts: VFile[]): Promise<string[]> {
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
  for (const file of (await Promise.all(contentDirs.map((dir) => filesUnder(join(root, dir), (name) => TEMPLATE_FILE.test(name))))).flat()) {
    const path = relative(root, file).split(sep).join('/')
    ;(await readFile(file, 'utf8')).split('\n').forEach((line, i) => SHORTCODE.test(line) && spots.push(`${path}:${i + 1}: a codeRunner shortcode in a template`))
  }
  return spots
}
