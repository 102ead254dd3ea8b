/**
 * Static pages shaped like the sites people put blocks in, around real
 * blocks rendered by this package (a Piston test server ran them): each
 * site's own CSS, written here in the shape of the starter's (the rules that
 * touch code, text and spacing), or the real package's CSS where one is
 * installed (Prism's themes, Tailwind with Typography compiled at test
 * time). Served with the production CSP, so nothing here is inline.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { injectAssets } from '../../src/adapters/inject.js'
import { createRunnableHost, type HashedAsset } from '../../src/adapters/host.js'
import type { RunnableOptions } from '../../src/adapters/options.js'
import { fence, makeProject } from '../helpers/project.js'

const require = createRequire(import.meta.url)
const prism = (theme: string) => readFile(require.resolve(`prismjs/themes/${theme}.css`), 'utf8')

/** How a site says it is dark: the OS only, or its own switch on `<html>` as well. */
export type SiteSwitch = { kind: 'os' } | { kind: 'attribute'; dark: string; light: string }

export interface HostSite {
  name: string
  /** The site's stylesheets, in `<head>` order (served as one file, `site.css`). */
  css: () => Promise<string[]>
  /** Classes of the element the post sits in (`sl-markdown-content`, `prose`). */
  contentClass?: string
  bodyClass?: string
  /** Always light whatever the OS (Astro's blog template): configured with `colorScheme: { media: false }`. */
  lightOnly?: boolean
  switch: SiteSwitch
}

/** eleventy-base-blog v9's own rules for text and code, light and dark by the OS. */
const ELEVENTY_BASE = `:root{--font-family:-apple-system,system-ui,sans-serif;--font-family-monospace:Consolas,Menlo,Monaco,"Liberation Mono","Courier New",monospace;--text-color:#333;--background-color:#fff;--text-color-link:#082840}
@media (prefers-color-scheme: dark){:root{--text-color:#dad8d8;--background-color:#15202b;--text-color-link:#1493fb}}
*{box-sizing:border-box}
html,body{padding:0;margin:0 auto;font-family:var(--font-family);color:var(--text-color);background-color:var(--background-color)}
body{max-width:40em}
main{padding:1rem}
main :first-child{margin-top:0}
p{line-height:1.5}
p:last-child{margin-bottom:0}
pre,code{font-family:var(--font-family-monospace)}
pre,pre[class*="language-"]{margin:.5em 0;line-height:1.375;tab-size:2;hyphens:none;direction:ltr;text-align:left;white-space:pre;word-spacing:normal;word-break:normal}
code{word-break:break-all}
`
/** The syntax highlight plugin's diff rules, as the starter ships them. */
const SYNTAXHIGHLIGHT = `pre[class*=language-diff-]{--eleventy-code-padding:1.25em;padding-left:var(--eleventy-code-padding);padding-right:var(--eleventy-code-padding)}
.token.deleted{background-color:#8e2e2e;color:inherit}.token.inserted{background-color:#45824b;color:inherit}
.token.prefix.unchanged,.token.prefix.inserted,.token.prefix.deleted{user-select:none;display:inline-flex;align-items:center;justify-content:center;padding-top:2px;padding-bottom:2px}
`
/** Astro's blog template's global CSS: a light page, big type, `pre > code { all: unset }`. */
const ASTRO_BLOG = `:root{--accent:#2337ff;--black:15,18,25;--gray:96,115,159;--gray-light:229,233,240;--gray-dark:34,41,57;--gray-gradient:rgba(var(--gray-light),50%),#fff}
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
/** Starlight's page and content styles: dark unless `data-theme=light`, margins between every pair of siblings, its code rules. */
const STARLIGHT = `:root{--sl-color-white:#fff;--sl-color-gray-1:#eceef2;--sl-color-gray-5:#353841;--sl-color-gray-6:#24272f;--sl-color-black:#17181c;--sl-color-text:#c0c2c7;--sl-text-code:.875rem;--sl-text-code-sm:.75rem;--sl-color-bg-inline-code:var(--sl-color-gray-5);--sl-color-text-accent:#a5b4fc;color-scheme:dark}
:root[data-theme=light]{--sl-color-white:#17181c;--sl-color-gray-1:#24272f;--sl-color-gray-5:#c0c2c7;--sl-color-gray-6:#eceef2;--sl-color-black:#fff;--sl-color-text:#353841;--sl-color-bg-inline-code:var(--sl-color-gray-6);--sl-color-text-accent:#3730a3;color-scheme:light}
*,*::before,*::after{box-sizing:border-box}
*{margin:0}
body{font-family:system-ui,sans-serif;line-height:1.75;color:var(--sl-color-text);background-color:var(--sl-color-black);font-size:1rem}
main{max-width:48rem;margin:auto;padding:1.5rem}
.sl-markdown-content :not(a,strong,em,del,span,input,code)+:not(a,strong,em,del,span,input,code,:where(.not-content *)){margin-top:1rem}
.sl-markdown-content code:not(:where(.not-content *)){background-color:var(--sl-color-bg-inline-code);margin-block:-.125rem;padding:.125rem .375rem;font-size:var(--sl-text-code-sm)}
.sl-markdown-content pre:not(:where(.not-content *)){border:1px solid var(--sl-color-gray-5);padding:.75rem 1rem;font-size:var(--sl-text-code);tab-size:2}
.sl-markdown-content pre code:not(:where(.not-content *)){all:unset;font-family:ui-monospace,monospace}
.sl-markdown-content a:not(:where(.not-content *)){color:var(--sl-color-text-accent)}
.sl-markdown-content summary:not(:where(.not-content *)){color:var(--sl-color-white);cursor:pointer;display:block;font-weight:600;margin-inline-start:-.5rem;padding-inline-start:.5rem}
.sl-markdown-content details:not(:where(.not-content *)){border-inline-start:1px solid var(--sl-color-gray-5);padding-inline-start:1rem}
.sl-markdown-content details[open]>summary:not(:where(.not-content *)){margin-bottom:1rem}
`

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

export const HOST_SITES: HostSite[] = [
  { name: 'eleventy-okaidia', css: async () => [ELEVENTY_BASE, await prism('prism-okaidia'), SYNTAXHIGHLIGHT], switch: { kind: 'os' } },
  { name: 'eleventy-prism', css: async () => [ELEVENTY_BASE, await prism('prism'), SYNTAXHIGHLIGHT], switch: { kind: 'os' } },
  { name: 'eleventy-tomorrow', css: async () => [ELEVENTY_BASE, await prism('prism-tomorrow'), SYNTAXHIGHLIGHT], switch: { kind: 'os' } },
  { name: 'astro-blog', css: async () => [ASTRO_BLOG], contentClass: 'prose', lightOnly: true, switch: { kind: 'os' } },
  { name: 'starlight', css: async () => [STARLIGHT], contentClass: 'sl-markdown-content', switch: { kind: 'attribute', dark: 'data-theme="dark"', light: 'data-theme="light"' } },
  {
    name: 'tailwind',
    css: async () => [await tailwind()],
    contentClass: 'prose dark:prose-invert mx-auto p-4 max-w-3xl',
    bodyClass: 'bg-white dark:bg-gray-950',
    switch: { kind: 'attribute', dark: 'class="dark"', light: 'class="light"' },
  },
]

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
