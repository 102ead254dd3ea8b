import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { EngineInfo, ExecuteRequest, ExecuteResponse } from '../execution/types.js'
import { canonicalJson } from './canonical.js'
import { CACHE_FORMAT } from './key.js'

/** One cached result: a file `cache/<key>.json`, reviewable in a diff. */
export interface CacheEntry {
  format: number
  key: string
  request: ExecuteRequest
  /** Piston's answer: resolved language and version, each stage's output. */
  response: ExecuteResponse
  engine: EngineInfo
}

export type CacheRead =
  | { status: 'hit'; entry: CacheEntry }
  | { status: 'miss' }
  | { status: 'invalid'; reason: string }

export interface CacheStore {
  readonly dir: string
  read(key: string): Promise<CacheRead>
  /** Atomic: readers see the old file or the new one, never half of one. */
  write(entry: CacheEntry): Promise<void>
  /** Every key stored, for listing and pruning orphans. */
  keys(): Promise<string[]>
  remove(key: string): Promise<void>
}

const KEY = /^[0-9a-f]{64}$/

export function createCacheStore(dir: string): CacheStore {
  const path = (key: string) => join(dir, `${key}.json`)
  return {
    dir,
    async read(key) {
      let text: string
      try {
        // Entries are a few KB: a synchronous read costs microseconds, while
        // fs/promises' open-stat-read-close round trips through the thread
        // pool made reading a warm cache several times slower.
        text = readFileSync(path(key), 'utf8')
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'miss' }
        return { status: 'invalid', reason: (error as Error).message }
      }
      let value: unknown
      try {
        value = JSON.parse(text)
      } catch (error) {
        return { status: 'invalid', reason: `not JSON (${(error as Error).message})` }
      }
      const reason = invalidEntry(value, key)
      return reason ? { status: 'invalid', reason } : { status: 'hit', entry: value as CacheEntry }
    },
    async write(entry) {
      await mkdir(dir, { recursive: true })
      const temp = join(dir, `.${entry.key}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
      try {
        await writeFile(temp, canonicalJson(entry, 2) + '\n')
        await rename(temp, path(entry.key))
      } catch (error) {
        await rm(temp, { force: true })
        throw error
      }
    },
    async keys() {
      let names: string[]
      try {
        names = await readdir(dir)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
        throw error
      }
      return names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).filter((k) => KEY.test(k))
    },
    async remove(key) {
      await rm(path(key), { force: true })
    },
  }
}

/** Why a parsed file is not a usable entry for `key`, or undefined if it is. */
function invalidEntry(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object'
  const entry = value as Partial<CacheEntry>
  if (entry.format !== CACHE_FORMAT) return `format ${String(entry.format)}, expected ${CACHE_FORMAT}`
  if (entry.key !== key) return 'its key does not match its file name'
  const run = entry.response?.run
  if (typeof entry.response?.language !== 'string' || typeof entry.response.version !== 'string')
    return 'response has no language or version'
  if (typeof run?.stdout !== 'string' || typeof run.stderr !== 'string') return 'response has no run stage'
  return undefined
}
