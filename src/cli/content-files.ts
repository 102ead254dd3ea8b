import { readFile } from 'node:fs/promises'
import { relative, resolve, sep } from 'node:path'
import { VFile } from 'vfile'
import { filesUnder, isMarkdownName } from '../markdown/content-files.js'

/** Every Markdown file of the content under `dir`, as paths relative to it with `/` separators, sorted. */
export async function listMarkdown(dir: string): Promise<string[]> {
  return (await filesUnder(dir, isMarkdownName)).map((path) => relative(dir, path).split(sep).join('/'))
}

/** Reads a post as a vfile whose path is relative to `cwd`, so reports say `content/post.md:12:1`. */
export async function readPost(cwd: string, path: string): Promise<VFile> {
  return new VFile({ cwd, path, value: await readFile(resolve(cwd, path), 'utf8') })
}
