/**
 * `runnable-blog/astro` in a site shaped like Astro's blog template: posts in
 * a content collection (`.md` and `.mdx`, `render()`), `<ClientRouter />`,
 * `@astrojs/mdx`, and an on-demand page through `@astrojs/node`; real Astro 7
 * builds (Node 22) against the Piston test server, the built server on
 * 127.0.0.1.
 */
import { cp, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { blogTemplateSite, linkModules, runAstro, startAstroServer } from '../helpers/astro.js'
import type { ChildOutput } from '../helpers/child.js'
import { fence, makeProject, repoRoot, runCli } from '../helpers/project.js'
import { freePort } from '../deploy/caddy.js'
import { startPistonServer, type PistonServer } from '../piston-server/index.js'

const frontMatter = (title: string) => `---\ntitle: ${title}\ndescription: four lines of front matter\n---\n\n\n`
// Lines 1-4 front matter, 5-6 blank (the loader trims them off the body), 9 the Divide fence, 11 its failing line, 14 the bash fence.
const broken = (fixed = false) =>
  frontMatter('Broken') +
  ['Some prose.\n', fence('python run title="Divide"', `x = 1\nprint(x / ${fixed ? 1 : 0})`), fence(`bash run timeout=${fixed ? 1000 : 'soon'}`, 'echo 1')].join('\n')
const hello = frontMatter('Hello') + ['Hello prose.\n', fence('python run title="Greet"', 'print("hello from a collection")')].join('\n')
const mdx = `${frontMatter('Mdx')}export const answer = 42\n\nMDX says {answer}.\n\n${fence('bash run title="In MDX"', 'echo mdx $((6 * 7))')}`

const problems = (run: ChildOutput) => run.stderr.split('\n').filter((line) => /^src\/\S+: (error|warning) /.test(line))
const brokenProblems = [
  'src/content/blog/broken.md:11:7: error  python snippet "Divide" exited with code 1 (expected exit code 0)  [snippet-failed]',
  expect.stringMatching(/^src\/content\/blog\/broken\.md:14:13: error {2}timeout must be a positive whole number/),
]

let engine: PistonServer
let project: Awaited<ReturnType<typeof makeProject>>
let first: ChildOutput

beforeAll(async () => {
  ;[engine, project] = await Promise.all([startPistonServer(), makeProject(blogTemplateSite({ 'broken.md': broken(), 'hello.md': hello, 'mdx.mdx': mdx }))])
  await linkModules(project.dir)
  first = await runAstro(project.dir, ['build'], { PISTON_URL: engine.url })
}, 180_000)
afterAll(async () => {
  await Promise.all([engine?.close(), project?.remove()])
})

const build = () => runAstro(project.dir, ['build'], { PISTON_URL: engine.url })
const page = (path: string) => readFile(join(project.dir, 'dist/client', path), 'utf8')

describe('the Astro integration in a blog-template site (content collections)', { timeout: 180_000 }, () => {
  it('reports a collection post\'s problems at their lines in the file (front matter and trimmed blank lines counted), and ends with the report', async () => {
    expect(first.code, first.stderr).toBe(1)
    expect(problems(first)).toEqual(brokenProblems)
    expect(first.stderr).toMatch(/^\[runnable-blog\] 4 snippets: 2 passed, 2 failed, 0 skipped; 3 programs: 0 cached, 3 ran \(2 errors\)$/m)
    // The last word: the reason in one line, after Astro's own lines; no hook error, no stack trace.
    expect(`${first.stdout}${first.stderr}`).not.toMatch(/unhandled error|Stack trace/)
    expect(first.stderr.trimEnd().split('\n').at(-1)).toBe('[runnable-blog] some snippets failed (listed above)')
    expect(await page('blog/broken/index.html')).toContain('data-rb-status="failed"')
    expect(await page('blog/mdx/index.html')).toMatch(/MDX says 42\.[\s\S]*mdx 42/)
    // A page without a block is left as it was.
    expect(await page('index.html')).not.toContain('_runnable/')
  })

  it('fails the next build too, with nothing changed, though Astro keeps rendered entries in node_modules/.astro', async () => {
    const again = await build()
    expect(again.code, again.stderr).toBe(1)
    expect(problems(again)).toEqual(brokenProblems)
    expect(again.stderr).toMatch(/^\[runnable-blog\] 4 snippets: 2 passed, 2 failed, 0 skipped; 3 programs: 3 cached, 0 ran \(2 errors\)$/m)
  })

  it('`runnable-blog check` in the site finds every .md and .mdx snippet with no flags, at the same lines', async () => {
    const check = await runCli(['check'], { cwd: project.dir, env: { PISTON_URL: engine.url } })
    expect(check.code).toBe(1)
    expect(problems(check)).toEqual(brokenProblems)
    expect(check.stderr).toMatch(/^4 snippets: 2 passed, 2 failed, 0 skipped; 3 programs: 3 cached, 0 ran \(2 errors\)$/m)
  })

  it('gives an on-demand page (prerender = false, @astrojs/node) the stylesheet and script, served by the built server', async () => {
    const server = startAstroServer(project.dir, await freePort())
    try {
      let html = ''
      const origin = () => /http:\/\/127\.0\.0\.1:\d+/.exec(server.output())?.[0]
      await server.until('the on-demand page', async () => {
        const at = origin()
        html = at ? await fetch(`${at}/live/hello/`).then((r) => (r.ok ? r.text() : ''), () => '') : ''
        return html.includes('rb-snippet')
      })
      expect(html).toContain('hello from a collection')
      const [, css] = /<link rel="stylesheet" href="(\/_runnable\/runnable\.[0-9a-f]{10}\.css)">/.exec(html) ?? []
      const [, script] = /<script src="(\/_runnable\/runnable-copy\.[0-9a-f]{10}\.js)" defer><\/script>/.exec(html) ?? []
      const stylesheet = await fetch(new URL(css!, `${origin()}/live/hello/`))
      expect(stylesheet.status).toBe(200)
      const text = await stylesheet.text()
      expect(text).toContain('.rb-snippet')
      // The site's Shiki theme (Astro's default github-dark) in both schemes: its foreground in the light palette too.
      expect(text).toContain('.rb-l0{--rb-cl:#e1e4e8}')
      expect((await fetch(new URL(script!, `${origin()}/live/hello/`))).status).toBe(200)
    } finally {
      await server.stop()
    }
  })

  it('passes once the post is fixed; a change of the options renders the entries again', async () => {
    await project.write('src/content/blog/broken.md', broken(true))
    const fixed = await build()
    expect(fixed.code, fixed.stderr).toBe(0)
    expect(await page('blog/broken/index.html')).not.toContain('data-rb-status="failed"')
    expect(await page('blog/hello/index.html')).not.toContain('data-rb-program=')
    const live = await runAstro(project.dir, ['build'], { PISTON_URL: engine.url, RUNNABLE_LIVE_ENDPOINT: 'https://run.example.com/api/v2' })
    expect(live.code, live.stderr).toBe(0)
    expect(await page('blog/hello/index.html')).toContain('data-rb-program=')
  })
  it('renders the entries again when a result in cache/ changed (an update, an edit)', async () => {
    // A build with the settings of the next one, so that only cache/ differs between them.
    expect((await build()).code).toBe(0)
    expect(await page('blog/hello/index.html')).toContain('hello from a collection')
    const dir = join(project.dir, 'cache')
    const names = await readdir(dir)
    const texts = await Promise.all(names.map((name) => readFile(join(dir, name), 'utf8')))
    const at = texts.findIndex((text) => text.includes('hello from a collection'))
    await writeFile(join(dir, names[at]!), texts[at]!.replaceAll('hello from a collection', 'edited in the cache'))
    const run = await build()
    expect(run.code, run.stderr).toBe(0)
    expect(await page('blog/hello/index.html')).toContain('edited in the cache')
  })

  it('counts the snippets of entries Astro kept and repeats their warnings, on every build that reuses its store', async () => {
    await project.write('src/content/blog/warned.md', frontMatter('Warned') + fence('python run tittle="Typo"', 'print("warned")'))
    const summary = /^\[runnable-blog\] (\d+ snippets: .*)$/m
    const [added, again] = [await build(), await build()]
    for (const run of [added, again]) {
      expect(run.code, run.stderr).toBe(0)
      expect(problems(run)).toEqual([expect.stringMatching(/^src\/content\/blog\/warned\.md:7:\d+: warning {2}unknown option "tittle"/)])
    }
    // The first rendered only the new entry; the second none: each counts every post's snippets, all cached on the second.
    expect(summary.exec(added.stderr)?.[1]).toBe('5 snippets: 5 passed, 0 failed, 0 skipped; 5 programs: 4 cached, 1 ran (1 warning)')
    expect(summary.exec(again.stderr)?.[1]).toBe('5 snippets: 5 passed, 0 failed, 0 skipped; 5 programs: 5 cached, 0 ran (1 warning)')
  })
})

describe('with the unified processor', { timeout: 180_000 }, () => {
  it('reports a collection post\'s problems at their lines in the file', async () => {
    const site = blogTemplateSite({ 'broken.md': broken() }, '{}', 'markdown: { processor: unified() },')
    site['astro.config.mjs'] = `import { unified } from '@astrojs/markdown-remark'\n${site['astro.config.mjs']}`
    const p = await makeProject(site)
    try {
      await linkModules(p.dir)
      const run = await runAstro(p.dir, ['build'], { PISTON_URL: engine.url })
      expect(run.code, run.stderr).toBe(1)
      expect(problems(run)).toEqual(brokenProblems)
    } finally {
      await p.remove()
    }
  })
})

describe('a changed build of the same version (git, npm link, a patched tarball)', { timeout: 180_000 }, () => {
  it('renders the entries Astro kept again, with no --force', async () => {
    const p = await makeProject(blogTemplateSite({ 'hello.md': hello }))
    try {
      await linkModules(p.dir)
      // The package as npm installs it: its own copy of lib/ and package.json, its dependencies the site's,
      // imported as `runnable-blog/astro` resolves (the bundle).
      const pkg = join(p.dir, 'pkg')
      await cp(join(repoRoot, 'lib'), join(pkg, 'lib'), { recursive: true })
      await cp(join(repoRoot, 'package.json'), join(pkg, 'package.json'))
      const config = await readFile(join(p.dir, 'astro.config.mjs'), 'utf8')
      const entry = pathToFileURL(join(repoRoot, 'lib/adapters/astro/index.js')).href
      expect(config).toContain(entry)
      await writeFile(join(p.dir, 'astro.config.mjs'), config.replace(entry, pathToFileURL(join(pkg, 'lib/bundle/astro.js')).href))
      const built = await runAstro(p.dir, ['build'], { PISTON_URL: engine.url })
      expect(built.code, built.stderr).toBe(0)
      const post = () => readFile(join(p.dir, 'dist/client/blog/hello/index.html'), 'utf8')
      expect(await post()).toContain('ran at build time with')
      // The same version, with other words in its blocks: one file of the bundle patched, as patch-package does.
      const bundle = join(pkg, 'lib/bundle')
      const texts = await Promise.all((await readdir(bundle)).map(async (name) => ({ path: join(bundle, name), text: await readFile(join(bundle, name), 'utf8') })))
      const patched = texts.filter(({ text }) => text.includes('ran at build time with'))
      expect(patched).toHaveLength(1)
      await writeFile(patched[0]!.path, patched[0]!.text.replace('ran at build time with', 'ran when the site was built, with'))
      const again = await runAstro(p.dir, ['build'], { PISTON_URL: engine.url })
      expect(again.code, again.stderr).toBe(0)
      expect(await post()).toContain('ran when the site was built, with')
    } finally {
      await p.remove()
    }
  })
})
