/**
 * A run fence holding template syntax on a site whose Markdown a template
 * engine reads first (eleventy-base-blog sets `markdownTemplateEngine:
 * "njk"`): its program is what the engine makes of it, so the site's build
 * checks it and the CLI lists it, and neither runs, fails on nor caches it.
 * A real Eleventy build and the CLI, against the Piston-protocol test server.
 */
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runEleventy } from '../helpers/eleventy.js'
import { linkStarterModules, starterSite } from '../helpers/eleventy-starter.js'
import { fence, repoRoot, runMain, useServerAndProjects } from '../helpers/project.js'

const { server: testServer, project } = useServerAndProjects()
const plugin = pathToFileURL(join(repoRoot, 'src/adapters/eleventy/index.ts')).href

const templated = [
  '---\ntitle: Templated\ndate: 2026-01-01\nwho: Ada\n---\n', // 1-6
  fence('python run title="var"', 'print("hello {{ who }}")'), // 7
  fence('python run title="loop"', '{% for n in [1,2] %}print({{ n }})\n{% endfor %}'), // 11
  fence('bash run title="plain"', 'echo plain'), // 16
].join('\n')
/** A Nunjucks comment is all the template syntax this page has. */
const noted = `---\ntitle: Noted\ndate: 2026-01-02\n---\n\n${fence('bash run title="noted"', 'echo noted {# a note for the author #}')}`

const TEMPLATE = /\{\{|\{%|\{#/
const sentTemplates = (from: number) => testServer().requests.slice(from).filter((r) => TEMPLATE.test(JSON.stringify(r.body)))

describe('run fences holding template syntax on a site set up as eleventy-base-blog v9', { timeout: 180_000 }, () => {
  it('are the build\'s to check: check --frozen passes where the build does, and neither check nor update runs, caches or prunes for them', async () => {
    const p = await project(starterSite(plugin, { 'posts/templated.md': templated, 'posts/noted.md': noted }))
    await linkStarterModules(p.dir)
    const env = { PISTON_URL: testServer().url, RUNNABLE: '{}', OUT: 'dist' }
    const built = await runEleventy(p.dir, [], env)
    expect(built.code, built.stderr).toBe(0)
    expect(built.stderr).toContain('4 snippets: 4 passed')
    const entries = async () => (await readdir(join(p.dir, 'cache'))).sort()
    const cached = await entries()
    expect(cached).toHaveLength(4)
    expect(sentTemplates(0)).toEqual([])

    // Each such fence once, at its opening line (the starter's layouts add places of their own: its `{% css %}` bundles).
    const listed = ['noted.md:6', 'templated.md:7', 'templated.md:11'].map((at) => `  content/posts/${at}: a run fence holding template syntax (its program is known only when the site is built)`)
    const places = (stderr: string) => stderr.split('\n').filter((l) => l.includes('content/posts/'))
    const summary = "4 snippets: 1 passed, 0 failed, 0 skipped, 3 left to the site's build; 1 program: 1 cached, 0 ran"
    const frozen = await runMain(['check', '--frozen'], { cwd: p.dir, env })
    expect(frozen.stderr).not.toContain('[missing-result]')
    expect(frozen.code, frozen.stderr).toBe(0)
    expect(frozen.stderr).toMatch(/\d+ places only your site generator's build can check:\n/)
    expect(places(frozen.stderr)).toEqual(listed)
    expect(frozen.stderr).toContain(summary)

    const requests = testServer().requests.length
    const checked = await runMain(['check'], { cwd: p.dir, env })
    expect(checked.code, checked.stderr).toBe(0)
    expect(checked.stderr).toContain(summary)
    const updated = await runMain(['update'], { cwd: p.dir, env })
    expect(updated.code, updated.stderr).toBe(0)
    expect(sentTemplates(requests)).toEqual([])
    expect(await entries()).toEqual(cached)

    // The build's entries for those fences look unused to the CLI: a prune keeps them, and says why.
    const junk = '0000000000000000000000000000000000000000000000000000000000000000.json'
    await p.write(`cache/${junk}`, '{}')
    const pruned = await runMain(['update', '--prune'], { cwd: p.dir, env })
    expect(pruned.code, pruned.stderr).toBe(0)
    expect(pruned.stderr).toContain('4 cache entries no snippet uses (not pruned: your site generator may run snippets check cannot see)')
    expect(await entries()).toEqual([junk, ...cached].sort())
    const rebuilt = await runEleventy(p.dir, [], { ...env, RUNNABLE_FROZEN: '1' })
    expect(rebuilt.code, rebuilt.stderr).toBe(0)
    expect(rebuilt.stderr).toContain('4 programs: 4 cached, 0 ran')
  })
})
