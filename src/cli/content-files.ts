import { readdir, readFile } from 'node:fs/promises'
import { join, relative, resolve, sep } from 'node:path'
import { VFile } from 'vfile'

/**
 * Every Markdown file under `dir`, as paths relative to it with `/`
 * separators, sorted. Dotfiles, dot-folders (`.git/`) and `node_modules`
 * (when the content folder is the project, as Eleventy's default input is)
 * are not content, as for the Eleventy plugin's pre-scan.
 */
export async function listMarkdown(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile() && /\.(md|markdown)$/i.test(e.name))
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((path) => !path.split('/').some((part) => part.startsWith('.') || part === 'node_modules'))
    .sort()
}

/** Reads a post as a vfile whose path is relative to `cwd`, so reports say `content/post.md:12:1`. */
export async function readPost(cwd: string, path: string): Promise<VFile> {
  return new VFile({ cwd, path, value: await readFile(resolve(cwd, path), 'utf8') })
}
