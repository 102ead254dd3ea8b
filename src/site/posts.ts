import { readdir, readFile } from 'node:fs/promises'
import { join, relative, resolve, sep } from 'node:path'
import { VFile } from 'vfile'

/** Every file under `dir`, as paths relative to it with `/` separators, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort()
}

/** Reads a post as a vfile whose path is relative to `cwd`, so reports say `content/post.md:12:1`. */
export async function readPost(cwd: string, path: string): Promise<VFile> {
  return new VFile({ cwd, path, value: await readFile(resolve(cwd, path), 'utf8') })
}

/** `posts/Hello World.md` → `posts/hello-world`. */
export function slugFromPath(path: string): string {
  return path
    .replace(/\.md$/i, '')
    .split('/')
    .map((part) => part.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''))
    .join('/')
}
