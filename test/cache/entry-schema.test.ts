/**
 * A committed cache entry is data from a pull request like any other: every
 * field the build reads is checked before it is used, a symlink is never
 * followed, and a cache that cannot be written is said to be the problem.
 */
import { readdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type CacheEntry, createCacheStore } from '../../src/cache/store.js'
import { fence, makeProject, post, runMain } from '../helpers/project.js'

type Project = Awaited<ReturnType<typeof makeProject>>
let project: Project | undefined
afterEach(async () => {
  await project?.remove()
  project = undefined
})

const posts = {
  'content/a.md': post('A', `Prose.\n\n${fence('python run title="Adds"', 'print(1 + 1)')}`),
  'content/b.md': post('B', fence('bash run title="Greets"', 'echo hello')),
}

/** A project whose cache holds both posts' results; returns the entry of post A. */
async function warmProject(): Promise<{ p: Project; key: string; entry: CacheEntry }> {
  const p = (project = await makeProject(posts))
  const first = await runMain(['update', '--engine', 'local'], { cwd: p.dir })
  expect(first.code, first.stderr).toBe(0)
  for (const name of await readdir(join(p.dir, 'cache'))) {
    const entry = JSON.parse(await readFile(join(p.dir, 'cache', name), 'utf8')) as CacheEntry
    if (entry.request.language === 'python') return { p, key: entry.key, entry }
  }
  throw new Error('no python entry')
}

describe('a cache entry is validated against its schema', () => {
  it.each([
    ['an exit code that is an object', (e: CacheEntry) => ({ ...e, response: { ...e.response, run: { ...e.response.run, code: { x: 1 } } } }), 'response.run.code is {"x":1}'],
    ['an exit code that is a string', (e: CacheEntry) => ({ ...e, response: { ...e.response, run: { ...e.response.run, code: '0' } } }), 'response.run.code is "0"'],
    ['a compile stage that is a string', (e: CacheEntry) => ({ ...e, response: { ...e.response, compile: 'str' } }), 'response.compile is "str", not a stage'],
    ['no language', (e: CacheEntry) => ({ ...e, response: { ...e.response, language: undefined } }), 'response has no language or version'],
    ['no version', (e: CacheEntry) => ({ ...e, response: { ...e.response, version: undefined } }), 'response has no language or version'],
    ['a request without files', (e: CacheEntry) => ({ ...e, request: { ...e.request, files: undefined } }), 'request has no language, version or files'],
    ['a signal that is a number', (e: CacheEntry) => ({ ...e, response: { ...e.response, run: { ...e.response.run, signal: 9 } } }), 'response.run.signal is 9'],
    ['an unknown engine', (e: CacheEntry) => ({ ...e, engine: { kind: 'mine' } }), 'engine is not "piston" or "local"'],
  ])('%s: a warning naming the file, a re-run, and every page checked', async (_, corrupt, reason) => {
    const { p, key, entry } = await warmProject()
    await writeFile(join(p.dir, 'cache', `${key}.json`), JSON.stringify(corrupt(entry)))
    expect(await createCacheStore(join(p.dir, 'cache')).read(key)).toEqual({ status: 'invalid', reason })

    const checked = await runMain(['check', '--engine', 'local'], { cwd: p.dir })
    expect(checked.stderr).toContain(`content/a.md:8:1: warning  cache entry ${key}.json was unreadable (${reason}); ran again  [cache-invalid]`)
    expect(checked.stderr).toContain('2 snippets: 2 passed, 0 failed, 0 skipped; 2 programs: 1 cached, 1 ran (1 warning)')
    expect(checked.code).toBe(0)
  })

  it('frozen, a corrupt entry is a positioned error that says so, and the other post is still checked', async () => {
    const { p, key, entry } = await warmProject()
    await writeFile(join(p.dir, 'cache', `${key}.json`), JSON.stringify({ ...entry, response: { ...entry.response, compile: 'str' } }))
    const frozen = await runMain(['check', '--frozen'], { cwd: p.dir })
    expect(frozen.stderr).toContain(
      `content/a.md:8:1: error  python snippet "Adds": the committed cache entry ${key}.json is corrupt (response.compile is "str", not a stage); a frozen build never runs snippets: write it again with update  [cache-corrupt]`,
    )
    expect(frozen.stderr).not.toContain('no result in the committed cache')
    expect(frozen.stderr).toContain('2 snippets: 1 passed, 1 failed, 0 skipped')
    expect(frozen.code).toBe(1)
  })

  it('never follows a symlinked entry, and quotes nothing of what it points to', async () => {
    const { p, key } = await warmProject()
    await writeFile(join(p.dir, 'secret.txt'), 'TOPSECRET-0123456789')
    const entry = join(p.dir, 'cache', `${key}.json`)
    await (await import('node:fs/promises')).rm(entry)
    await symlink(join(p.dir, 'secret.txt'), entry)
    expect(await createCacheStore(join(p.dir, 'cache')).read(key)).toEqual({ status: 'invalid', reason: 'it is a symbolic link, which is never followed' })
    const checked = await runMain(['check', '--engine', 'local'], { cwd: p.dir })
    expect(checked.stderr).toContain(`cache entry ${key}.json was unreadable (it is a symbolic link, which is never followed); ran again  [cache-invalid]`)
    expect(checked.stderr).not.toMatch(/TOPSECRET|0123456789/)
    expect(checked.code).toBe(0)
  })
})

describe('a cache that cannot be written', () => {
  it('says which entry could not be written and why, not that an interpreter is missing', async () => {
    const p = (project = await makeProject({ ...posts, 'not-a-folder': 'a file where the cache folder should be\n' }))
    const run = await runMain(['update', '--engine', 'local', '--cache', 'not-a-folder/cache'], { cwd: p.dir })
    expect(run.stderr).toMatch(/content\/a\.md:8:1: error {2}python snippet "Adds": could not write the cache entry [0-9a-f]{64}\.json in \S+not-a-folder\/cache: ENOTDIR/)
    expect(run.stderr).not.toContain('interpreters are installed')
    expect(run.stderr).not.toContain('could not run')
    expect(run.code).toBe(1)
  })
})
