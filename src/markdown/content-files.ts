/**
 * The files of a site's content, as the plugin's pre-scan, `check` and the
 * prune guard all find them: never inside dot-folders (`.git/`),
 * `node_modules` (a content folder may be the whole project, as Eleventy's
 * default input is) or the folders in `skip` (a host's output folder).
 */
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'

export const isMarkdownName = (name: string) => /\.(md|markdown)$/i.test(name)

/** Absolute paths of the files under `dir` whose name `wanted` accepts, sorted; dotfiles are left out too. */
export async function filesUnder(dir: string, wanted: (name: string) => boolean, skip: ReadonlySet<string> = new Set()): Promise<string[]> {
  if (skip.has(dir)) return []
  const found: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) found.push(...(await filesUnder(path, wanted, skip)))
    else if (entry.isFile() && wanted(entry.name)) found.push(path)
  }
  return found.sort()
}
