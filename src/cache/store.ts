import { randomBytes } from 'node:crypto'
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs'
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
        text = readEntryFile(path(key))
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'ENOENT') return { status: 'miss' }
        if (code === 'ELOOP') return { status: 'invalid', reason: 'it is a symbolic link, which is never followed' }
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
        // No folder (or a file in its place): no entries; a write says what is wrong.
        if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return []
        throw error
      }
      return names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).filter((k) => KEY.test(k))
    },
    async remove(key) {
      await rm(path(key), { force: true })
    },
  }
}

/**
 * The entry's text. Entries are a few KB: a synchronous read costs
 * microseconds, while fs/promises' open-stat-read-close round trips through
 * the thread pool made reading a warm cache several times slower. A
 * committed symlink is never followed (ELOOP): it would quote any file this
 * user can read into the report. Non-blocking, so a FIFO cannot hang the build.
 */
function readEntryFile(file: string): string {
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0))
  try {
    if (!fstatSync(fd).isFile()) throw Object.assign(new Error('it is not a regular file'), { code: 'ENOTFILE' })
    return readFileSync(fd, 'utf8')
  } finally {
    closeSync(fd)
  }
}

type Check = (value: unknown) => boolean
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const string: Check = (value) => typeof value === 'string'
const nonEmpty: Check = (value) => typeof value === 'string' && value !== ''
const orNull = (check: Check): Check => (value) => value === null || check(value)
const optional = (check: Check): Check => (value) => value === undefined || check(value)
const wholeNumber: Check = (value) => Number.isSafeInteger(value)
const measure: Check = (value) => typeof value === 'number' && Number.isFinite(value) && value >= 0
const STATUSES = new Set(['RE', 'SG', 'TO', 'OL', 'EL', 'XX'])

/** Piston's stage (execution/types.ts `Stage`), field by field. */
const STAGE: Record<string, Check> = {
  stdout: string,
  stderr: string,
  output: string,
  code: orNull(wholeNumber),
  signal: orNull(nonEmpty),
  message: optional(orNull(string)),
  status: optional(orNull((value) => STATUSES.has(value as string))),
  cpu_time: optional(measure),
  wall_time: optional(measure),
  memory: optional(measure),
}

/** A wrong value as a report quotes it: JSON, at most 40 characters. */
function shown(value: unknown): string {
  const json = JSON.stringify(value) ?? 'missing'
  return json.length > 40 ? `${json.slice(0, 39)}…` : json
}

/** The first field of `value` that `schema` does not accept, as `where.field`, or undefined. */
function badField(value: Record<string, unknown>, schema: Record<string, Check>, where: string): string | undefined {
  const field = Object.keys(schema).find((name) => !schema[name]!(value[name]))
  return field === undefined ? undefined : `${where}.${field} is ${shown(value[field])}`
}

function stageProblem(stage: unknown, where: string): string | undefined {
  return isObject(stage) ? badField(stage, STAGE, where) : `${where} is ${shown(stage)}, not a stage`
}

/**
 * Why a parsed file is not a usable entry for `key`, or undefined if it is:
 * every field the build reads is checked, so a hand-edited or corrupt entry
 * is re-run (or, frozen, reported) instead of being shown or crashing a page.
 */
function invalidEntry(value: unknown, key: string): string | undefined {
  if (!isObject(value)) return 'not an object'
  if (value.format !== CACHE_FORMAT) return `format ${String(value.format)}, expected ${CACHE_FORMAT}`
  if (value.key !== key) return 'its key does not match its file name'
  const { request, response, engine } = value
  if (!isObject(request) || !nonEmpty(request.language) || !nonEmpty(request.version) || !Array.isArray(request.files))
    return 'request has no language, version or files'
  if (!isObject(response) || !nonEmpty(response.language) || !nonEmpty(response.version)) return 'response has no language or version'
  if (!isObject(response.run)) return 'response has no run stage'
  if (!isObject(engine) || (engine.kind !== 'piston' && engine.kind !== 'local')) return 'engine is not "piston" or "local"'
  return (
    stageProblem(response.run, 'response.run') ??
    (response.compile === undefined ? undefined : stageProblem(response.compile, 'response.compile')) ??
    (optional(measure)(response.elapsed_ms) ? undefined : `response.elapsed_ms is ${shown(response.elapsed_ms)}`)
  )
}
