/**
 * Astro keeps the rendered HTML of content-collection entries in its data
 * store (`node_modules/.astro/` for builds, `.astro/` for `astro dev`) and
 * renders an entry again only when its file changes, or when the Astro config
 * does: it compares a digest of the config, in which the Markdown processor's
 * plugins count with their data. The integration's plugin carries a stamp
 * there, so that Astro clears the store (every entry is rendered again, as
 * with `astro build --force`) whenever an entry it kept may be stale:
 * - the last build with this store failed, or did not finish (a failing
 *   snippet must fail every build until it is fixed, not only the first);
 * - the cache folder changed since (results updated, refreshed or removed);
 * - the integration's settings changed, or this package's version did;
 * - `refresh` is on (every snippet runs again, so every entry renders again).
 * The stamp is a hash: nothing of the settings (a token) reaches Astro's store.
 */
import { createHash, randomUUID } from 'node:crypto'
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { RunnableSettings } from '../options.js'

/** What the state file beside Astro's data store remembers of the build that last used it. */
interface StoreState {
  stamp: string
  /** The build failed, or has not finished (a dev server, `astro sync`, a crash). */
  unsettled: boolean
  /** The cache folder when it finished. */
  cache: string
}

export interface ContentStamp {
  /** What goes into the processor's plugin data, hence into Astro's config digest. */
  stamp: string
  /** Records how the build ended: a build that failed leaves the next one a fresh stamp. */
  settle(failed: boolean): Promise<void>
}

/**
 * The stamp for this build, from the state file beside Astro's data store
 * (`stateFile`); until `settle`, the build counts as unsettled.
 */
export async function contentStamp(stateFile: string, settings: RunnableSettings): Promise<ContentStamp> {
  const [previous, cache, version] = await Promise.all([readState(stateFile), cacheFingerprint(settings.cacheDir), packageVersion()])
  const kept = previous && !previous.unsettled && previous.cache === cache && !settings.refresh
  const build = kept ? previous.stamp : randomUUID()
  const stamp = hash([build, version, settingsKey(settings)])
  await writeState(stateFile, { stamp: build, unsettled: true, cache })
  return {
    stamp,
    settle: async (failed) => writeState(stateFile, { stamp: build, unsettled: failed, cache: await cacheFingerprint(settings.cacheDir) }),
  }
}

/** The settings that change what a block shows. */
function settingsKey(s: RunnableSettings): unknown[] {
  return [s.engineObject ? 'object' : s.engine, s.pistonUrl, s.cacheDir, s.liveEndpoint ?? null, s.frozen, s.limits, s.highlight, s.highlightAllFences]
}

/** The cache folder's entries with their sizes and times: a result written, changed or removed changes it. */
async function cacheFingerprint(dir: string): Promise<string> {
  const names = await readdir(dir).catch(() => [])
  const entries = await Promise.all(
    names.sort().map(async (name) => {
      const info = await stat(join(dir, name)).catch(() => undefined)
      return [name, info?.size, info?.mtimeMs]
    }),
  )
  return hash(entries)
}

const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16)

// By the package's own name, not a path from this module: the bundle in lib/bundle/ sits elsewhere (scripts/bundle-lib.mjs).
const packageVersion = () => (createRequire(import.meta.url)('runnable-blog/package.json') as { version: string }).version

async function readState(path: string): Promise<StoreState | undefined> {
  try {
    const state = JSON.parse(await readFile(path, 'utf8')) as Partial<StoreState>
    return typeof state.stamp === 'string' && typeof state.unsettled === 'boolean' && typeof state.cache === 'string' ? (state as StoreState) : undefined
  } catch {
    return undefined
  }
}

async function writeState(path: string, state: StoreState): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, JSON.stringify(state) + '\n')
}
