/**
 * `{{ }}` in a run fence is the site's build's to run only where a template
 * engine reads the page before the Markdown (an Eleventy site, Liquid unless
 * its config says otherwise, or what the page's `templateEngineOverride`
 * names); anywhere else it is text, and `check` runs it as written. Either
 * way a fence is checked or listed, never both. The CLI in this process,
 * the Piston test server as engine.
 */
import { describe, expect, it } from 'vitest'
import { fence, runMain, useServerAndProjects } from '../helpers/project.js'

const { server, project } = useServerAndProjects()

const eleventy = (settings = '') => `export default function (eleventyConfig) {\n  return { dir: { input: 'content' }${settings} }\n}\n`
/** A post whose fence prints `{{ who }}` as written, and says so in its output fence. */
const page = (frontMatter = '') => `---\ntitle: T\n${frontMatter}---\n\n${fence('python run', 'print("{{ who }}")')}${fence('output', '{{ who }}')}`
const LISTED = "only your site generator's build can check:\n  content/t.md:5: a run fence holding template syntax (its program is known only when the site is built)"

describe('check on a run fence holding template syntax', () => {
  it.each([
    ['a site with no template engine over Markdown', {}],
    ['an Astro site', { 'astro.config.mjs': 'export default {}\n' }],
    ['an Eleventy site with markdownTemplateEngine: false', { 'eleventy.config.js': eleventy(', markdownTemplateEngine: false') }],
    ['an Eleventy page with templateEngineOverride: md', { 'eleventy.config.js': eleventy(), page: 'templateEngineOverride: md\n' }],
  ])('runs it as written on %s, and lists nothing', async (_, { page: frontMatter, ...files }: Record<string, string>) => {
    const astro = 'astro.config.mjs' in files
    const p = await project({ ...files, [astro ? 'src/content/t.md' : 'content/t.md']: page(frontMatter) })
    const before = server().executions
    const run = await runMain(['check'], { cwd: p.dir, env: { PISTON_URL: server().url } })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain('1 snippet: 1 passed, 0 failed, 0 skipped; 1 program: 0 cached, 1 ran')
    expect(run.stderr).not.toContain('only your site generator')
    expect(server().executions - before).toBe(1)
  })

  it.each([
    ['an Eleventy site that names no engine (Liquid)', { 'eleventy.config.js': eleventy() }],
    ['an Eleventy site whose config check cannot find (package.json names @11ty/eleventy)', { 'package.json': '{ "devDependencies": { "@11ty/eleventy": "^3.1.0" } }\n' }],
    ['a page whose templateEngineOverride names an engine', { '.eleventy.js': eleventy(', markdownTemplateEngine: false'), page: 'templateEngineOverride: "njk, md"\n' }],
  ])('leaves it to the build on %s: listed, not run, counted in the summary', async (_, { page: frontMatter, ...files }: Record<string, string>) => {
    const p = await project({ ...files, 'content/t.md': page(frontMatter) })
    const before = server().executions
    const run = await runMain(['check'], { cwd: p.dir, env: { PISTON_URL: server().url } })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain(`1 place ${LISTED.replace(':5:', `:${5 + (frontMatter ? 1 : 0)}:`)}`)
    expect(run.stderr).toContain("1 snippet: 0 passed, 0 failed, 0 skipped, 1 left to the site's build; 0 programs: 0 cached, 0 ran")
    expect(server().executions - before).toBe(0)
  })
})
