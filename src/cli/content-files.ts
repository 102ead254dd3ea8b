import { existsSync, readFileSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { posix, relative, resolve, sep } from 'node:path'
import { VFile } from 'vfile'
import { filesUnder, isMarkdownName } from '../markdown/content-files.js'

/** What the CLI reads: Markdown, and MDX (an Astro site's pages and collections; its fences are Markdown's). */
export const isContentName = (name: string) => /\.(md|markdown|mdx)$/i.test(name)

/** Every Markdown or MDX file under the folders, as paths relative to `root` with `/` separators, sorted, each once. */
export async function listContent(root: string, dirs: readonly string[]): Promise<string[]> {
  const found = await Promise.all(dirs.map((dir) => filesUnder(resolve(root, dir), isContentName)))
  return [...new Set(found.flat().map((path) => relative(root, path).split(sep).join('/')))].sort()
}

/** Every Markdown file under `dir`, as paths relative to it with `/` separators, sorted (the bench's posts). */
export async function listMarkdown(dir: string): Promise<string[]> {
  return (await filesUnder(dir, isMarkdownName)).map((path) => relative(dir, path).split(sep).join('/'))
}

/** Reads a post as a vfile whose path is relative to `cwd`, so reports say `content/post.md:12:1`. */
export async function readPost(cwd: string, path: string): Promise<VFile> {
  return new VFile({ cwd, path, value: await readFile(resolve(cwd, path), 'utf8') })
}

const ASTRO_CONFIG = /^astro\.config\.(mjs|js|ts|mts|cjs|cts)$/
const CONTENT_CONFIG = ['src/content.config.ts', 'src/content.config.mjs', 'src/content.config.js', 'src/content.config.mts', 'src/content/config.ts', 'src/content/config.mjs', 'src/content/config.js']

/**
 * The content folders of an Astro project (one with `astro.config.*`), or
 * undefined: `src/content` and `src/pages` (under `srcDir` when the config
 * sets it as a plain string), and each `base` folder its content config's
 * `glob()` loaders name, when it is not under those. The config is read as
 * text, not run: a `srcDir` or `base` computed in code is not seen (then
 * pass `--content`).
 */
export function astroContentDirs(root: string, names: readonly string[]): string[] | undefined {
  const config = names.find((name) => ASTRO_CONFIG.test(name))
  if (!config) return undefined
  const src = posix.normalize(/\bsrcDir\s*:\s*['"]([^'"]+)['"]/.exec(readFileSync(resolve(root, config), 'utf8'))?.[1] ?? 'src').replace(/\/+$/, '')
  const contentConfig = CONTENT_CONFIG.map((path) => path.replace(/^src\//, `${src}/`)).find((path) => existsSync(resolve(root, path)))
  const bases = contentConfig ? [...readFileSync(resolve(root, contentConfig), 'utf8').matchAll(/\bbase\s*:\s*['"]([^'"]+)['"]/g)].map((m) => posix.normalize(m[1]!).replace(/\/+$/, '')) : []
  const standard = [`${src}/content`, `${src}/pages`]
  const dirs = [...standard, ...bases.filter((base) => !standard.some((dir) => base === dir || base.startsWith(`${dir}/`)))]
  return dirs.filter((dir) => statSync(resolve(root, dir), { throwIfNoEntry: false })?.isDirectory())
}
