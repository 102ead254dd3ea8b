import { spawn } from 'node:child_process'
import { link, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cacheKey } from '../../src/cache/key.js'
import { type CacheEntry, createCacheStore } from '../../src/cache/store.js'
import type { ExecuteRequest } from '../../src/execution/types.js'
import { childOutput } from '../helpers/child.js'
import { tsxLoader } from '../helpers/project.js'

function entryFor(request: ExecuteRequest, stdout = 'hi\n'): CacheEntry {
  return {
    format: 1,
    key: cacheKey(request),
    request,
    response: {
      language: 'python',
      version: '3.11.2',
      run: { stdout, stderr: '', output: stdout, code: 0, signal: null },
    },
    engine: { kind: 'local' },
  }
}

const request: ExecuteRequest = { language: 'python', version: '*', files: [{ name: 'main.py', content: 'print("hi")' }] }

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rb-cache-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('cache store', () => {
  it('misses, then reads back what it wrote', async () => {
    const store = createCacheStore(join(dir, 'cache'))
    const entry = entryFor(request)
    expect(await store.read(entry.key)).toEqual({ status: 'miss' })
    await store.write(entry)
    expect(await store.read(entry.key)).toEqual({ status: 'hit', entry })
    expect(await store.keys()).toEqual([entry.key])
  })

  it('writes pretty JSON with sorted keys and a trailing newline, and leaves no temp file', async () => {
    const store = createCacheStore(dir)
    const entry = entryFor(request)
    await store.write(entry)
    const text = await readFile(join(dir, `${entry.key}.json`), 'utf8')
    expect(text.endsWith('}\n')).toBe(true)
    expect(text.indexOf('"engine"')).toBeLessThan(text.indexOf('"format"'))
    expect(text).toContain('\n  "key": ')
    expect(await readdir(dir)).toEqual([`${entry.key}.json`])
  })

  it('reports unreadable entries as invalid instead of throwing', async () => {
    const store = createCacheStore(dir)
    const entry = entryFor(request)
    await writeFile(join(dir, `${entry.key}.json`), '{"format": 1, "key": "')
    expect(await store.read(entry.key)).toMatchObject({ status: 'invalid', reason: expect.stringMatching(/^not JSON/) })
    await writeFile(join(dir, `${entry.key}.json`), JSON.stringify({ ...entry, format: 0 }))
    expect(await store.read(entry.key)).toMatchObject({ status: 'invalid', reason: 'format 0, expected 1' })
    await writeFile(join(dir, `${entry.key}.json`), JSON.stringify({ ...entry, key: 'f'.repeat(64) }))
    expect(await store.read(entry.key)).toMatchObject({ status: 'invalid' })
    await writeFile(join(dir, `${entry.key}.json`), JSON.stringify({ ...entry, response: { language: 'python', version: '1' } }))
    expect(await store.read(entry.key)).toMatchObject({ status: 'invalid', reason: 'response has no run stage' })
  })

  it('stays correct when two builds write the same entries at once', async () => {
    const a = createCacheStore(dir)
    const b = createCacheStore(dir)
    const entries = Array.from({ length: 20 }, (_, i) =>
      entryFor({ ...request, files: [{ name: 'main.py', content: `print(${i})` }] }, `${i}\n`),
    )
    await Promise.all(entries.flatMap((e) => [a.write(e), b.write(e)]))
    for (const e of entries) expect(await a.read(e.key)).toEqual({ status: 'hit', entry: e })
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([])
  })

  it('keeps the old entry readable when a write stops half-way', async () => {
    const store = createCacheStore(dir)
    const old = entryFor(request)
    await store.write(old)
    const before = await readFile(join(dir, `${old.key}.json`), 'utf8')
    // A real interrupted write: another process writes a 64 KB entry under a
    // 4 KB file-size limit, so the kernel stops it with EFBIG after 4 KB.
    const writer = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures/write-entry.ts')
    const child = spawn('bash', ['-c', 'ulimit -f 4 && exec "$0" --import "$1" "$2" "$3"', process.execPath, tsxLoader, writer, dir], {
      env: { ...process.env, TSX_DISABLE_CACHE: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    child.stdin!.end(JSON.stringify(entryFor(request, 'x'.repeat(65_536))))
    const run = await childOutput(child)
    expect(run.stdout.trim(), run.stderr).toBe('EFBIG')
    expect(await readFile(join(dir, `${old.key}.json`), 'utf8')).toBe(before)
    expect(await store.read(old.key)).toEqual({ status: 'hit', entry: old })
    expect(await readdir(dir)).toEqual([`${old.key}.json`])
  })

  it('produces an entry only by a rename: the old file is never written over', async () => {
    const store = createCacheStore(dir)
    const old = entryFor(request)
    await store.write(old)
    const path = join(dir, `${old.key}.json`)
    const before = await readFile(path, 'utf8')
    // A second name for the old file's inode: a write in place would change it too.
    await link(path, join(dir, 'old-inode'))
    const fresh = entryFor(request, 'new\n')
    await store.write(fresh)
    expect(await readFile(join(dir, 'old-inode'), 'utf8')).toBe(before)
    expect((await stat(path)).ino).not.toBe((await stat(join(dir, 'old-inode'))).ino)
    expect(await store.read(old.key)).toEqual({ status: 'hit', entry: fresh })
  })

  it('lists only entry files and removes one', async () => {
    const store = createCacheStore(dir)
    const entry = entryFor(request)
    await store.write(entry)
    await writeFile(join(dir, 'README.md'), 'x')
    await writeFile(join(dir, 'notes.json'), '{}')
    expect(await store.keys()).toEqual([entry.key])
    await store.remove(entry.key)
    expect(await store.keys()).toEqual([])
    expect(await createCacheStore(join(dir, 'absent')).keys()).toEqual([])
  })
})
