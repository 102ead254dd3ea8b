/**
 * The render cache in whole builds: the pages are byte for byte the same
 * without it, with it empty and with it full (a later process), on a fixture
 * and on this repo's sample blog; a changed theme pair is a miss; with the
 * cache full, Shiki is not loaded.
 */
import { spawn } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { childOutput } from '../helpers/child.js'
import { eleventyBin, eleventyConfig, runEleventy } from '../helpers/eleventy.js'
import { fence, makeProject, post, repoRoot, useServerAndProjects } from '../helpers/project.js'
import { packagesIn, recordPackages } from '../helpers/record-packages.js'

const { server, project } = useServerAndProjects()

/** Every file under `dir`, by relative path. */
async function tree(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
  return new Map(await Promise.all(files.sort().map(async (path) => [relative(dir, path), await readFile(path, 'utf8')] as [string, string])))
}
const entries = async (dir: string) => (await readdir(dir).catch(() => [])).filter((name) => name.endsWith('.json')).length

const posts = {
  'content/a.md': post(
    'A',
    `${fence('python run title="Greeting" {2}', 'name = input()\nprint(f"Hello, {name} <&>")')}\n${fence('text stdin {1}', 'World')}\n` +
      `${fence('python file=util.py', 'def double(n):\n    return n * 2')}\n${fence('python run files=util.py', 'from util import double\nprint(double(21))')}\n` +
      `${fence('typescript {1}', 'const x: number = 1 // one')}\n${fence('php', '<?php echo "php"; ?>')}\n${fence('', 'no language')}`,
  ),
  'content/b.md': post('B', `${fence('bash run', 'echo "$((6 * 7))"')}\n${fence('json', '{ "a": [1, 2] }')}`),
}

describe('the render cache in builds', { timeout: 300_000 }, () => {
  it('makes the same pages without it, empty and full; another theme pair is rendered anew', async () => {
    const p = await project({ ...eleventyConfig('{ highlight: { allFences: true } }'), ...posts })
    const cacheDir = join(p.dir, 'render-cache')
    const first = await runEleventy(p.dir, [], { PISTON_URL: server().url, RUNNABLE_RENDER_CACHE: 'off' })
    expect(first.code, first.stderr).toBe(0)
    const without = await tree(join(p.dir, 'dist'))
    expect(without.get('a/index.html')).toContain('rb-mark')
    expect(await entries(cacheDir)).toBe(0)

    const frozen = { RUNNABLE_FROZEN: '1', RUNNABLE_RENDER_CACHE: cacheDir }
    const counts: number[] = []
    const shiki: boolean[] = []
    for (const round of ['empty', 'full']) {
      const run = await runEleventy(p.dir, [], { ...frozen, NODE_OPTIONS: `--import ${recordPackages}` })
      expect(run.code, run.stderr).toBe(0)
      expect(await tree(join(p.dir, 'dist')), round).toEqual(without)
      counts.push(await entries(cacheDir))
      shiki.push([...packagesIn(run.stderr)].some((name) => /^(shiki|@shikijs\/)/.test(name)))
    }
    // With every block, fence and the stylesheet in the cache, Shiki is not even loaded.
    expect(shiki).toEqual([true, false])
    // 4 blocks (three snippets, one file), 4 other fences and the stylesheet; the full round adds nothing.
    expect(counts).toEqual([9, 9])

    await p.write('eleventy.config.js', (await readFile(join(p.dir, 'eleventy.config.js'), 'utf8')).replace('{ allFences: true }', "{ allFences: true, light: 'min-light', dark: 'nord' }"))
    const nord = await runEleventy(p.dir, [], frozen)
    expect(nord.code, nord.stderr).toBe(0)
    const cached = await tree(join(p.dir, 'dist'))
    expect(cached.get('a/index.html')).not.toBe(without.get('a/index.html'))
    expect(await entries(cacheDir)).toBe(18)
    await runEleventy(p.dir, [], { ...frozen, RUNNABLE_RENDER_CACHE: 'off' })
    expect(await tree(join(p.dir, 'dist'))).toEqual(cached)
  })

  it('after a cold build, a warm one loads neither remark, nor an engine client, nor Shiki, nor an HTML serialiser: markdown-it renders the pages, the caches have the rest', async () => {
    // The compiled plugin as the package exports it (the bundle), run by plain Node, as a blogger's site loads it (tsx's loader would hide the imports from the recorder).
    const config = eleventyConfig()
    config['eleventy.config.js'] = config['eleventy.config.js']!.replace('src/adapters/eleventy/index.ts', 'lib/bundle/eleventy.js')
    const p = await project({ ...config, ...posts })
    const env = { ...process.env, GITHUB_ACTIONS: '', RUNNABLE_FROZEN: '', RUNNABLE_LIVE_ENDPOINT: '', PISTON_URL: server().url, RUNNABLE_RENDER_CACHE: join(p.dir, 'render-cache') }
    const eleventy = (extra: NodeJS.ProcessEnv = {}) => childOutput(spawn(process.execPath, [eleventyBin, '--quiet'], { cwd: p.dir, env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] }))
    const cold = await eleventy()
    expect(cold.code, cold.stderr).toBe(0)
    const sent = server().requests.length
    expect(sent).toBeGreaterThan(0)
    // Not frozen: the build a blogger runs, which would run any snippet missing from cache/.
    const warm = await eleventy({ NODE_OPTIONS: `--import ${recordPackages}` })
    expect(warm.code, warm.stderr).toBe(0)
    expect(warm.stderr).toContain('3 cached, 0 ran')
    expect(server().requests.length).toBe(sent)
    const loaded = packagesIn(warm.stderr)
    expect(loaded.has('@11ty/eleventy')).toBe(true)
    // The blocks come from the render cache as HTML: no tree to rebuild or serialise. (`shiki` itself is its lists
    // of language and theme names, which options are checked against; the highlighter is @shikijs/.)
    expect([...loaded].filter((name) => /^(remark-|micromark|mdast-util-from-markdown|unified$|undici$|@shikijs\/|hast-util-to-html$)/.test(name))).toEqual([])
  })

  it('makes the sample blog byte for byte the same without it, empty and full', async () => {
    const out = await makeProject({})
    const cacheDir = join(out.dir, 'render-cache')
    const build = async (setting: string, dir: string) => {
      const env = { ...process.env, RUNNABLE_FROZEN: '1', PISTON_URL: '', RUNNABLE_LIVE_ENDPOINT: '', GITHUB_ACTIONS: '', RUNNABLE_RENDER_CACHE: setting }
      const run = await childOutput(spawn(process.execPath, [eleventyBin, '--quiet', `--output=${join(out.dir, dir)}`], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] }))
      expect(run.code, run.stderr).toBe(0)
      return tree(join(out.dir, dir))
    }
    const without = await build('off', 'off')
    expect([...without.keys()].length).toBeGreaterThan(5)
    expect(await build(cacheDir, 'empty')).toEqual(without)
    expect(await entries(cacheDir)).toBeGreaterThan(10)
    expect(await build(cacheDir, 'full')).toEqual(without)
    await out.remove()
  })
})
