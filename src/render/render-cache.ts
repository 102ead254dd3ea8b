/**
 * Build-only: rendered blocks kept between builds, so that a warm build does
 * no Shiki work (and loads no Shiki) for blocks that did not change.
 *
 * A block is a pure function of its input (the result, the fence's options,
 * the code), the theme pair, and the code that renders it; the key is a
 * SHA-256 of all of them: the input as JSON, the themes, which build of ours
 * (../cache/code-stamp.ts: a checkout that recompiles, or a changed build of
 * the same version, gets fresh blocks) and Shiki's version.
 *
 * Two layers: a bounded one in memory (what this process rendered; what it
 * read from disk it reads again), for a host that builds again in the
 * same process (`eleventy --serve`, `astro dev`), and one on disk, by default
 * `node_modules/.cache/runnable-blog/render/` under the working directory
 * (`$RUNNABLE_RENDER_CACHE` names another folder, or `off` for no cache at
 * all): one file per entry, written atomically (a temporary file renamed),
 * the oldest removed beyond a bound, an unreadable entry a miss.
 */
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import type { ElementContent, Properties } from 'hast'
import type { Highlight, HighlightThemes } from './highlight.js'
import { canonicalJson } from '../cache/canonical.js'
import { codeStamp } from '../cache/code-stamp.js'
import { nodesHtml, type RawHtml } from '../hast/html.js'

/** Where the disk layer lives unless `$RUNNABLE_RENDER_CACHE` says otherwise, from the working directory. */
export const DEFAULT_RENDER_CACHE_DIR = 'node_modules/.cache/runnable-blog/render'
/** Entries kept on disk; beyond this, the oldest go (down to 80%). */
const MAX_DISK_ENTRIES = 50_000
/** Characters of encoded blocks kept in memory; the least recently used go first. */
const MAX_MEMORY_CHARS = 8 * 2 ** 20

export interface RenderCacheOptions {
  /** The disk layer's folder; none: memory only. */
  dir?: string
  /** What, beside the input and themes, the blocks depend on. Default: which build of ours, and Shiki's version. */
  stamp?: string
  /** Default 50,000. */
  maxDiskEntries?: number
  /** Default 8 Mi characters. */
  maxMemoryChars?: number
}

export interface RenderCache {
  /** The key of a `kind` of block made from `input` (JSON, Sets as lists) in `themes` (false: plain, unhighlighted). */
  key(kind: string, themes: HighlightThemes | false, input: unknown): string
  /** A fresh copy of what is stored under `key`; undefined when absent or unreadable. */
  get(key: string): Promise<Cached[] | undefined>
  set(key: string, value: Cached[]): Promise<void>
}

export function createRenderCache({ dir, stamp = defaultStamp(), maxDiskEntries = MAX_DISK_ENTRIES, maxMemoryChars = MAX_MEMORY_CHARS }: RenderCacheOptions = {}): RenderCache {
  // Encoded JSON, not trees: a caller may change the tree it gets.
  const memory = new Map<string, string>()
  let memoryChars = 0
  let pruned = false
  const remember = (key: string, text: string) => {
    memoryChars -= memory.get(key)?.length ?? 0
    memory.delete(key)
    memory.set(key, text)
    memoryChars += text.length
    for (const [old, value] of memory) {
      if (memoryChars <= maxMemoryChars) break
      memory.delete(old)
      memoryChars -= value.length
    }
  }
  const path = (key: string) => join(dir!, `${key}.json`)

  return {
    // Keys in a canonical order: a fresh engine answer and the same answer read back from cache/ are one block.
    // Plain is keyed by empty names: no Shiki theme has one.
    key: (kind, themes, input) => createHash('sha256').update(canonicalJson([stamp, themes ? themes.light : '', themes ? themes.dark : '', kind, input])).digest('hex'),
    async get(key) {
      const held = memory.get(key)
      // What is read from disk is not kept in memory: a build reads each block once, and a rebuild (--serve) reads the few files again.
      const text = held ?? (dir ? readEntry(path(key)) : undefined)
      if (text === undefined) return undefined
      const value = decode(text, key)
      if (value && held !== undefined) remember(key, text)
      return value
    },
    async set(key, value) {
      const encoded = encode(value)
      if (!encoded) return
      const text = JSON.stringify({ key, value: encoded })
      remember(key, text)
      if (!dir) return
      try {
        await mkdir(dir, { recursive: true })
        // Renamed into place whole: a reader never sees half an entry, two writers never mix theirs.
        const temporary = `${path(key)}.${randomBytes(6).toString('hex')}.tmp`
        await writeFile(temporary, text)
        await rename(temporary, path(key))
        if (!pruned) {
          pruned = true
          await prune(dir, maxDiskEntries)
        }
      } catch {
        // A cache that cannot be written is no cache: the block was rendered all the same.
      }
    },
  }
}

/**
 * One small file, read synchronously: a promise read is four trips through
 * libuv's thread pool (open, fstat, read, close), which at 9,250 fences cost
 * a warm build more than a second of the main thread; this is one call.
 */
function readEntry(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

/** Removes the oldest entries (and leftover temporary files) once there are more than `max`, down to 80%. */
async function prune(dir: string, max: number) {
  const names = await readdir(dir)
  if (names.length <= max) return
  const dated = await Promise.all(names.map(async (name) => ({ name, time: (await stat(join(dir, name)).catch(() => undefined))?.mtimeMs ?? 0 })))
  dated.sort((a, b) => a.time - b.time)
  await Promise.all(dated.slice(0, names.length - Math.floor(max * 0.8)).map(({ name }) => rm(join(dir, name), { force: true })))
}

/** Which build of ours, and Shiki's version. */
function defaultStamp(): string {
  const shiki = (createRequire(import.meta.url)('shiki/package.json') as { version: string }).version
  return `${codeStamp()} shiki ${shiki}`
}

/**
 * Hast in a compact JSON form (a highlighted block is mostly spans, four
 * times smaller this way): text as a string, an element as
 * `[tagName, properties, children, data?]`, a comment as `{ comment }`, raw
 * HTML as `{ raw }`. Anything else is not ours to cache: undefined.
 */
type Encoded = string | { comment: string } | { raw: string } | [string, Properties, Encoded[]] | [string, Properties, Encoded[], unknown]

function encode(nodes: Cached[]): Encoded[] | undefined {
  const out: Encoded[] = []
  for (const node of nodes) {
    if (node.type === 'text') out.push(node.value)
    else if (node.type === 'comment') out.push({ comment: node.value })
    else if (node.type === 'raw') out.push({ raw: node.value })
    else if (node.type === 'element' && !node.position) {
      const children = encode(node.children as Cached[])
      if (!children) return undefined
      out.push(node.data ? [node.tagName, node.properties, children, node.data] : [node.tagName, node.properties, children])
    } else return undefined
  }
  return out
}

function decode(text: string, key: string): Cached[] | undefined {
  try {
    const entry = JSON.parse(text) as { key?: unknown; value?: unknown }
    return entry.key === key && Array.isArray(entry.value) ? entry.value.map(decodeNode) : undefined
  } catch {
    return undefined
  }
}

function decodeNode(node: unknown): Cached {
  if (typeof node === 'string') return { type: 'text', value: node }
  if (typeof node === 'object' && node !== null && typeof (node as { raw?: unknown }).raw === 'string') return { type: 'raw', value: (node as { raw: string }).raw }
  if (Array.isArray(node) && typeof node[0] === 'string' && typeof node[1] === 'object' && Array.isArray(node[2])) {
    const [tagName, properties, children, data] = node as [string, Properties, unknown[], unknown]
    return { type: 'element', tagName, properties, children: children.map(decodeNode) as ElementContent[], ...(data === undefined ? {} : { data: data as never }) }
  }
  if (typeof node === 'object' && node !== null && typeof (node as { comment?: unknown }).comment === 'string') return { type: 'comment', value: (node as { comment: string }).comment }
  // A damaged entry: decode() reads it as a miss.
  throw new TypeError('not an encoded hast node')
}

let shared: RenderCache | false | undefined

/** The process's cache, as `$RUNNABLE_RENDER_CACHE` says (read once); false when it is `off`. */
export function processRenderCache(env = process.env): RenderCache | false {
  if (shared === undefined) {
    const setting = env.RUNNABLE_RENDER_CACHE || DEFAULT_RENDER_CACHE_DIR
    shared = setting === 'off' ? false : createRenderCache({ dir: resolve(setting) })
  }
  return shared
}

/** One thing to render with the cache: its kind and input make its key; `render` makes it, given a highlighter for `languages`. */
export interface CachedRender {
  kind: string
  input: unknown
  languages: Iterable<string>
  /** Its tree; `highlight` is undefined when `load` gives none (plain blocks). */
  render(highlight?: Highlight): ElementContent[]
}

/** What the cache holds: hast, or (for a host that takes HTML) one raw HTML node. */
export type Cached = ElementContent | RawHtml

/**
 * Each item's rendering, from `cache` where it has it. `load` (Shiki, given
 * the languages of the misses only) is called when something is missing,
 * and what it renders is stored. Without a cache, everything is rendered.
 * `asHtml`: each item as one raw HTML node, cached as such (its own entry),
 * for a host that takes HTML: a warm build then neither rebuilds the tree
 * nor serialises it.
 */
export async function renderWithCache(
  themes: HighlightThemes | false,
  items: CachedRender[],
  load: (languages: string[]) => Promise<Highlight | undefined>,
  { cache = processRenderCache(), asHtml = false }: { cache?: RenderCache | false; asHtml?: boolean } = {},
): Promise<Cached[][]> {
  const keys = cache ? items.map((item) => cache.key(asHtml ? `${item.kind} as HTML` : item.kind, themes, item.input)) : []
  const found = cache ? await Promise.all(keys.map((key) => cache.get(key))) : items.map(() => undefined)
  const missing = items.flatMap((item, i) => (found[i] ? [] : [i]))
  if (!missing.length) return found as Cached[][]
  const highlight = await load(missing.flatMap((i) => [...items[i]!.languages]))
  const stores: Promise<void>[] = []
  const out = await Promise.all(
    found.map(async (value, i) => {
      if (value) return value
      const tree = items[i]!.render(highlight)
      // Stored as made, before any later stage of the page changes the tree.
      const made: Cached[] = asHtml ? [{ type: 'raw', value: await nodesHtml(tree) }] : tree
      if (cache) stores.push(cache.set(keys[i]!, made))
      return made
    }),
  )
  await Promise.all(stores)
  return out
}
