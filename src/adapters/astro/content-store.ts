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
 * - the integration's settings changed, or this package's build did (a new
 *   version, or a changed build of the same one: ../../cache/code-stamp.ts);
 * - `refresh` is on (every snippet runs again, so every entry renders again).
 * The stamp is a hash: nothing of the settings (a token) reaches Astro's store.
 *
 * An entry Astro keeps is not rendered, so the build would not count its
 * snippets nor repeat its warnings: the state file keeps each page's record
 * from the last build that passed, and a build that reuses the store reports
 * those of the pages it did not render, as they were.
 */
import { createHash, randomUUID } from 'node:crypto'
import { access, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { VFile } from 'vfile'
import { codeStamp } from '../../cache/code-stamp.js'
import type { SnippetRecord } from '../../markdown/plugin.js'
import { report, type RuleId } from '../../markdown/rules.js'
import type { RunnableSettings } from '../options.js'

/** What the state file beside Astro's data store remembers of the build that last used it. */
interface StoreState {
  stamp: string
  /** The build failed, or has not finished (a dev server, `astro sync`, a crash). */
  unsettled: boolean
  /** The cache folder when it finished. */
  cache: string
  /** Each page's record, by path from the project root, when it passed: pages with snippets or problems only. */
  pages?: Record<string, PageRecord>
}

/** What a build reported of a page: its snippets, and its problems (warnings and notes: a build that passed has no error). */
interface PageRecord {
  snippets: SnippetRecord[]
  messages: Array<{ ruleId: RuleId; reason: string; line?: number; column?: number; note?: string }>
}

export interface ContentStamp {
  /** What goes into the processor's plugin data, hence into Astro's config digest. */
  stamp: string
  /** The records of the last build that passed with this store, of pages whose files are there (empty when the store is cleared). */
  kept: VFile[]
  /** Records how the build ended, and its pages' records: a build that failed leaves the next one a fresh stamp. */
  settle(build: { failed: boolean; files: VFile[] }): Promise<void>
}

/**
 * The stamp for this build, from the state file beside Astro's data store
 * (`stateFile`); until `settle`, the build counts as unsettled.
 */
export async function contentStamp(stateFile: string, settings: RunnableSettings, root: string): Promise<ContentStamp> {
  const [previous, cache] = await Promise.all([readState(stateFile), cacheFingerprint(settings.cacheDir)])
  const reused = previous && !previous.unsettled && previous.cache === cache && !settings.refresh
  const build = reused ? previous.stamp : randomUUID()
  const stamp = hash([build, codeStamp(), settingsKey(settings)])
  await writeState(stateFile, { stamp: build, unsettled: true, cache })
  const kept = reused ? await keptPages(previous.pages ?? {}, root) : []
  return {
    stamp,
    kept,
    settle: async ({ failed, files }) =>
      writeState(stateFile, { stamp: build, unsettled: failed, cache: await cacheFingerprint(settings.cacheDir), pages: failed ? undefined : pageRecords(files) }),
  }
}

function pageRecords(files: VFile[]): Record<string, PageRecord> {
  const records: Record<string, PageRecord> = {}
  for (const file of files) {
    const messages = file.messages.map(({ ruleId, reason, line, column, note }) => ({ ruleId: ruleId as RuleId, reason, line, column, note }))
    if (file.data.snippets?.length || messages.length) records[file.path] = { snippets: file.data.snippets ?? [], messages }
  }
  return records
}

/** The recorded pages whose files are still there, as this build's records: nothing of theirs ran now. */
async function keptPages(pages: Record<string, PageRecord>, root: string): Promise<VFile[]> {
  const present = await Promise.all(Object.keys(pages).map((path) => access(resolve(root, path)).then(() => path, () => undefined)))
  return present.flatMap((path) => {
    if (path === undefined) return []
    const { snippets, messages } = pages[path]!
    const file = new VFile({ path, data: { snippets: snippets.map((s) => (s.program ? { ...s, program: { ...s.program, source: 'cache' as const } } : s)) } })
    for (const { ruleId, reason, line, column, note } of messages) {
      report(file, { ruleId, reason, place: line === undefined ? undefined : { line, column: column ?? 1 } }).note = note
    }
    return [file]
  })
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

async function readState(path: string): Promise<StoreState | undefined> {
  try {
    const state = JSON.parse(await readFile(path, 'utf8')) as Partial<StoreState>
    return typeof state.stamp === 'string' && typeof state.unsettled === 'boolean' && typeof state.cache === 'string' && (state.pages === undefined || typeof state.pages === 'object') ? (state as StoreState) : undefined
  } catch {
    return undefined
  }
}

async function writeState(path: string, state: StoreState): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, JSON.stringify(state) + '\n')
}
