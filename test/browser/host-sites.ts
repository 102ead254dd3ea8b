/**
 * The sites of the host-CSS matrix (issue 24), around the same blocks:
 *
 * - built sites, as their authors build them, against a Piston test server:
 *   an eleventy-base-blog-shaped site (test/helpers/eleventy-starter.ts:
 *   its layouts, its CSS and a Prism theme in its bundle; one post per
 *   Prism theme: okaidia, the starter's, and default and tomorrow) built by
 *   Eleventy with `runnable-blog/eleventy` from lib/; Astro's blog template
 *   (its `global.css` shape, `pre > code { all: unset }`, Astro's default
 *   `shikiConfig` theme github-dark, always light: `colorScheme: { media: false }`)
 *   and a Starlight site, both built by `astro build` with the integration
 *   from lib/;
 * - one static page, as the acceptance allows: Tailwind with Typography,
 *   compiled from the registry's packages at test time, around blocks
 *   rendered by the host core.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { injectAssets } from '../../src/adapters/inject.js'
import { createRunnableHost, type HashedAsset } from '../../src/adapters/host.js'
import type { RunnableOptions } from '../../src/adapters/options.js'
import { blogTemplateSite, linkModules, runAstro, starlightEnv, starlightSite } from '../helpers/astro.js'
import type { ChildOutput } from '../helpers/child.js'
import { runEleventy } from '../helpers/eleventy.js'
import { linkStarterModules, starterSite } from '../helpers/eleventy-starter.js'
import { fence, makeProject } from '../helpers/project.js'

const require = createRequire(import.meta.url)

/** A static page's site: its CSS, the classes around the post, and its switch (attributes on `<html>`). */
export interface HostSite {
  name: string
  /** The site's stylesheets, in `<head>` order (served as one file, `site.css`). */
  css: () => Promise<string[]>
  /** Classes of the element the post sits in (`prose`). */
  contentClass?: string
  bodyClass?: string
  switch: { dark: string; light: string }
}

/** Tailwind v4 with preflight and Typography, compiled from the registry's packages for the classes the page uses. */
async function tailwind(): Promise<string> {
  const { compile } = await import('tailwindcss')
  const input = [
    '@import "tailwindcss";',
    '@plugin "@tailwindcss/typography";',
    // The common "system, unless the reader chose" switch: .dark or .light on <html> over the OS setting.
    '@custom-variant dark { &:where(.dark, .dark *) { @slot; } @media (prefers-color-scheme: dark) { &:not(:where(.light, .light *)) { @slot; } } }',
  ].join('\n')
  const compiler = await compile(input, {
    base: process.cwd(),
    loadStylesheet: async (id: string, base: string) => {
      const path = require.resolve(id === 'tailwindcss' ? 'tailwindcss/index.css' : id)
      return { path, base, content: await readFile(path, 'utf8') }
    },
    loadModule: async (id: string, base: string) => ({ path: id, base, module: require(id) }),
  })
  return compiler.build(['prose', 'dark:prose-invert', 'mx-auto', 'p-4', 'bg-white', 'dark:bg-gray-950', 'text-gray-900', 'dark:text-gray-100', 'max-w-3xl'])
}

/** The site that stays a static page (the acceptance allows it): Tailwind with Typography, compiled at test time. */
export const TAILWIND: HostSite = {
  name: 'tailwind',
  css: async () => [await tailwind()],
  contentClass: 'prose dark:prose-invert mx-auto p-4 max-w-3xl',
  bodyClass: 'bg-white dark:bg-gray-950',
  switch: { dark: 'class="dark"', light: 'class="light"' },
}

/** The blocks every site shows: output, a declared failure, colours, bidi controls, a failed expectation, an extra file. */
export const BLOCKS_MARKDOWN = [
  'Some prose before the blocks, with `inline code`.\n',
  fence(
    'python run title="Greeting" {2}',
    'name = "a first line that is long enough to reach the copy button on a narrow phone screen"\nprint(f"Hello, {name[:5]}!")\nprint(len(name))',
  ),
  fence('python run title="An expected failure" exit=1 file=divide.py', 'numerator = 1\ndenominator = 0\nprint(numerator / denominator)'),
  fence('bash run title="Colours"', "printf '\\e[31mred\\e[0m \\e[32mgreen\\e[0m \\e[33myellow\\e[0m \\e[34mblue\\e[0m \\e[35mmagenta\\e[0m \\e[36mcyan\\e[0m \\e[1mbold\\e[0m\\n'"),
  fence('python run title="Bidi"', 'print("price: \\u202e12 USD")\nprint("isolate \\u2067abc\\u2069 end \\ufffe \\uffff")'),
  fence('python run title="Expected output"', 'print(6 * 7)'),
  fence('output', '41'),
  fence('python file=util.py', 'def twice(x):\n    return 2 * x'),
  'An ordinary fence:\n',
  fence('js', 'const answer = 42'),
  'Prose after the blocks.\n',
].join('\n')

export interface RenderedBlocks {
  html: string
  css: HashedAsset
  copy: HashedAsset
  live: HashedAsset
  remove(): Promise<void>
}

/** The blocks above rendered by the host core against `pistonUrl`, with a live endpoint, and the assets a page gets. */
export async function renderBlocks(pistonUrl: string, liveEndpoint: string, options: RunnableOptions = {}): Promise<RenderedBlocks> {
  const project = await makeProject({})
  const host = createRunnableHost({ pistonUrl, live: liveEndpoint, configFile: false, cacheDir: 'cache', ...options }, { cwd: project.dir, env: {} })
  host.startBuild()
  const html = await host.render(BLOCKS_MARKDOWN, { path: 'post.md' })
  host.finishBuild()
  const [css, copy, live] = await Promise.all([host.stylesheet(), host.copyScript(), host.liveScript()])
  await host.close()
  return { html, css, copy, live, remove: project.remove }
}

/** A site's page around `blocks`: its stylesheets, the switch state on `<html>`, and this package's tags as the adapters add them. */
export function sitePage(site: HostSite, blocks: RenderedBlocks, htmlAttribute: string, endpoint: string, depth = 2): string {
  const up = '../'.repeat(depth)
  return injectAssets(
    `<!doctype html>\n<html lang="en" ${htmlAttribute}><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${site.name}</title>` +
      `<link rel="stylesheet" href="${up}${site.name}/site.css"></head><body class="${site.bodyClass ?? ''}"><main><article class="${site.contentClass ?? ''}"><h1>A post</h1>${blocks.html}</article></main></body></html>\n`,
    {
      pageUrl: `/${site.name}/x/`,
      css: `_runnable/${blocks.css.name}`,
      copy: `_runnable/${blocks.copy.name}`,
      live: { script: `_runnable/${blocks.live.name}`, endpoint },
    },
  ).html
}

/** What a built site left: the folder to serve, what its build printed and how it ended. */
export interface BuiltSite {
  root: string
  build: ChildOutput
  remove(): Promise<void>
}

/** The Prism themes of the starter-shaped site, one post each (`/posts/<theme>/`): okaidia is the starter's. */
export const PRISM_THEMES = ['prism-okaidia', 'prism', 'prism-tomorrow'] as const

/** The eleventy-base-blog-shaped site, built by Eleventy with `runnable-blog/eleventy` (lib/) and a live endpoint. */
export async function buildStarter(pistonUrl: string, endpoint: string): Promise<BuiltSite> {
  const posts = Object.fromEntries(PRISM_THEMES.map((theme) => [`posts/${theme}.md`, `---\ntitle: With ${theme}\ndate: 2026-01-01\nprism: ${theme}\n---\n\n${BLOCKS_MARKDOWN}`]))
  const project = await makeProject(starterSite('runnable-blog/eleventy', posts))
  await linkStarterModules(project.dir)
  const build = await runEleventy(project.dir, [], { OUT: 'dist', RUNNABLE: '{}', PISTON_URL: pistonUrl, RUNNABLE_LIVE_ENDPOINT: endpoint })
  return { root: join(project.dir, 'dist'), build, remove: project.remove }
}

/** Astro's blog template's `global.css`, in its shape: a light page, big type, `pre > code { all: unset }`. */
const ASTRO_BLOG_CSS = `:root{--accent:#2337ff;--black:15,18,25;--gray:96,115,159;--gray-light:229,233,240;--gray-dark:34,41,57;--gray-gradient:rgba(var(--gray-light),50%),#fff}
body{font-family:'Atkinson',sans-serif;margin:0;padding:0;text-align:left;background:linear-gradient(var(--gray-gradient)) no-repeat;background-size:100% 600px;word-wrap:break-word;overflow-wrap:break-word;color:rgb(var(--gray-dark));font-size:20px;line-height:1.7}
main{width:720px;max-width:calc(100% - 2em);margin:auto;padding:3em 1em}
a{color:var(--accent)}
p{margin-bottom:1em}
.prose p{margin-bottom:2em}
textarea{width:100%;font-size:16px}
input{font-size:16px}
code{padding:2px 5px;background-color:rgb(var(--gray-light));border-radius:2px}
pre{padding:1.5em;border-radius:8px}
pre>code{all:unset}
@media (max-width:720px){body{font-size:18px}main{padding:1em}}
`

/** The template's post layout: `global.css` imported (bundled by Vite), the post in `.prose`, the layout's own scoped rules. */
const ASTRO_BLOG_LAYOUT = `---
import { ClientRouter } from 'astro:transitions'
import '../styles/global.css'
const { title } = Astro.props
---
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>{title}</title><ClientRouter /></head>
<body><main><article><div class="prose"><div class="title"><h1>{title}</h1></div><slot /></div></article></main></body></html>
<style>
main { width: calc(100% - 2em); max-width: 100%; margin: 0 }
.prose { width: 720px; max-width: calc(100% - 2em); margin: auto; padding: 1em; color: rgb(var(--gray-dark)) }
</style>
`

/**
 * Astro's blog template with the integration (`/blog/blocks/`), built by
 * `astro build`: always light, so the media query is off. `markdown`: the
 * site's markdown config (default none: Astro's github-dark for every fence).
 */
export async function buildAstroBlog(pistonUrl: string, endpoint: string, markdown = ''): Promise<BuiltSite> {
  const post = `---\ntitle: Blocks\ndescription: Runnable blocks\n---\n\n${BLOCKS_MARKDOWN}`
  const project = await makeProject({
    ...blogTemplateSite({ 'blocks.md': post }, '{ colorScheme: { media: false } }', markdown),
    'src/styles/global.css': ASTRO_BLOG_CSS,
    'src/layouts/BlogPost.astro': ASTRO_BLOG_LAYOUT,
  })
  await linkModules(project.dir)
  const build = await runAstro(project.dir, ['build'], { PISTON_URL: pistonUrl, RUNNABLE_LIVE_ENDPOINT: endpoint })
  return { root: join(project.dir, 'dist/client'), build, remove: project.remove }
}

/** A Starlight site with the integration (`/blocks/`), built by `astro build`. */
export async function buildStarlight(pistonUrl: string, endpoint: string): Promise<BuiltSite> {
  const project = await makeProject(starlightSite({ 'blocks.md': `---\ntitle: Blocks\n---\n\n${BLOCKS_MARKDOWN}` }))
  await linkModules(project.dir)
  const build = await runAstro(project.dir, ['build'], { PISTON_URL: pistonUrl, RUNNABLE_LIVE_ENDPOINT: endpoint, ...starlightEnv })
  return { root: join(project.dir, 'dist'), build, remove: project.remove }
}
