/**
 * A guest in the blog people already have: a site set up as the official
 * starter (eleventy-base-blog v9) sets it up (test/helpers/eleventy-starter.ts),
 * built without and with the plugin's line, against the Piston-protocol
 * test server.
 */
import { spawnSync } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { eleventyConfig, runEleventy } from '../helpers/eleventy.js'
import { linkStarterModules, starterSite } from '../helpers/eleventy-starter.js'
import { fence, post, repoRoot, useServerAndProjects } from '../helpers/project.js'

const { server: testServer, project } = useServerAndProjects()
const plugin = pathToFileURL(join(repoRoot, 'src/adapters/eleventy/index.ts')).href

const ordinary = [
  fence('js', 'const answer = 6 * 7\nconsole.log(`answer: ${answer}`)'),
  fence('diff-js', ' function f() {\n-  return 1\n+  return 2\n }'),
  '    four spaces in: Eleventy keeps this a paragraph\n',
  'A bare URL stays text: https://example.org/x\n',
].join('\n')

const helloWorlds = [
  ['python', 'print("Hello, World from python")'],
  ['sqlite3', "SELECT 'Hello, World from sqlite3';"],
  ['bash', 'echo "Hello, World from bash"'],
]
  .map(([language, code]) => `{% codeRunner "Hello ${language}", "${language}" %}\n${code}\n{% endcodeRunner %}\n`)
  .join('\n')

const files = starterSite(plugin, {
  'posts/plain.md': post('Plain', `## A heading\n\nProse.\n\n${ordinary}`, '2026-01-01'),
  'posts/runnable.md': post('Runnable', `## Hello worlds\n\n${ordinary}\n${helloWorlds}\n## A fence\n\n${fence('python run', 'print("Hello, World from a fence")')}\nThe end.\n`, '2026-01-02'),
  'posts/draft.md': `---\ntitle: Draft\ndate: 2026-01-03\ndraft: true\n---\n\n${fence('python run', 'print("only in a draft")')}`,
})

/** Both builds of the site: the one people have, and the one with runnable-blog's line. */
async function buildBoth() {
  const p = await project(files)
  await linkStarterModules(p.dir)
  const plain = await runEleventy(p.dir, [], { OUT: 'plain' })
  expect(plain.code, plain.stderr).toBe(0)
  const before = testServer().requests.length
  const withPlugin = await runEleventy(p.dir, [], { OUT: 'runnable', RUNNABLE: '{}', PISTON_URL: testServer().url })
  expect(withPlugin.code, withPlugin.stderr).toBe(0)
  const sent = testServer().requests.slice(before).map((r) => JSON.stringify(r.body))
  return { dir: p.dir, run: withPlugin, sent }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort()
}

const unstamped = (html: string) => html.replace(/<time>[^<]*<\/time>/g, '<time></time>')
const BLOCK = /<figure class="rb-snippet[\s\S]*?<\/figure>\n?/g
/** A page with runnable-blog's blocks (and the assets in its head) taken out. */
const withoutBlocks = (html: string) => html.replace(BLOCK, '<!--block-->\n').replace(/<link rel="stylesheet" href="[^"]*runnable\.[0-9a-f]+\.css">|<script src="[^"]*runnable-[\w.-]+\.js" defer><\/script>/g, '')
/** The same page built without the plugin: the run fence in place of its block. */
const withoutRunFence = (html: string) => html.replace(/<pre class="language-python"[^>]*><code[^>]*>(?:(?!<\/pre>)[\s\S])*from a fence(?:(?!<\/pre>)[\s\S])*<\/pre>\n?/, '<!--block-->\n')

describe('a site set up as eleventy-base-blog v9', { timeout: 180_000 }, () => {
  it('keeps every page as it was outside the blocks, Prism on every ordinary fence, a feed without assets, and runs no draft', async () => {
    const { dir, run, sent } = await buildBoth()
    expect(run.stderr).toContain('[runnable-blog] 4 snippets: 4 passed, 0 failed, 0 skipped; 4 programs: 0 cached, 4 ran')
    // The draft made no engine call.
    expect(sent.filter((body) => body.includes('only in a draft'))).toEqual([])
    expect(sent.filter((body) => body.includes('Hello, World from'))).toHaveLength(4)

    const plain = await filesUnder(join(dir, 'plain'))
    const runnable = await filesUnder(join(dir, 'runnable'))
    expect(runnable.filter((f) => !f.startsWith('assets/'))).toEqual(plain)
    for (const file of plain.filter((f) => f !== 'feed/feed.xml')) {
      const made = unstamped(await readFile(join(dir, 'runnable', file), 'utf8'))
      const was = unstamped(await readFile(join(dir, 'plain', file), 'utf8'))
      if (file === 'posts/runnable/index.html') {
        expect(made.match(BLOCK)).toHaveLength(4)
        expect(made).toContain('Hello, World from sqlite3')
        expect(withoutBlocks(made)).toBe(withoutRunFence(was))
      } else expect(made, file).toBe(was)
    }

    const page = await readFile(join(dir, 'runnable/posts/runnable/index.html'), 'utf8')
    // The stylesheet in the head of the page that shows blocks.
    expect(page.slice(0, page.indexOf('</head>'))).toMatch(/<link rel="stylesheet" href="\.\.\/\.\.\/assets\/runnable\.[0-9a-f]{10}\.css">/)
    // Prism on every ordinary fence, with the syntaxhighlight plugin's attributes; markdown-it-anchor's ids on headings.
    const pres = page.replace(BLOCK, '').match(/<pre[^>]*>[\s\S]*?<\/pre>/g) ?? []
    expect(pres).toHaveLength(2)
    for (const pre of pres) {
      expect(pre).toMatch(/^<pre class="language-(js|diff-js)" tabindex="0">/)
      expect(pre).toContain('<span class="token')
    }
    expect(page).toContain('<h2 id="hello-worlds" tabindex="-1">Hello worlds</h2>')

    // The feed: well-formed XML, its entries carry the blocks with no <link> or <script> and no page-relative URL.
    const entries = atomEntries(join(dir, 'runnable/feed/feed.xml'))
    expect(entries).toHaveLength(2)
    const withBlocks = entries.find((html) => html.includes('rb-snippet'))!
    expect(page).toContain('class="rb-copy"')
    expect(withBlocks).toContain('Hello, World from bash')
    for (const html of entries) {
      // No assets, and none of the buttons only a script makes work.
      expect(html).not.toMatch(/<link|<script|<button/i)
      expect(html).not.toMatch(/(?:href|src)="\.\.?\//)
    }

    // The bundle route: the stylesheet goes into the site's CSS bundle on the page with blocks, not into a file of ours.
    const bundled = await runEleventy(dir, [], { OUT: 'bundled', RUNNABLE: '{ "bundle": "css" }', PISTON_URL: testServer().url })
    expect(bundled.code, bundled.stderr).toBe(0)
    const bundledPage = await readFile(join(dir, 'bundled/posts/runnable/index.html'), 'utf8')
    expect(bundledPage).not.toMatch(/runnable\.[0-9a-f]{10}\.css/)
    const [, bundleUrl] = /<link rel="stylesheet" href="\/(bundle\/[^"]+\.css)">/.exec(bundledPage) ?? []
    expect(await readFile(join(dir, 'bundled', bundleUrl!), 'utf8')).toContain('.rb-snippet')
    expect(await readFile(join(dir, 'bundled/posts/plain/index.html'), 'utf8').then(unstamped)).toBe(unstamped(await readFile(join(dir, 'plain/posts/plain/index.html'), 'utf8')))
    expect((await filesUnder(join(dir, 'bundled'))).filter((f) => f.startsWith('assets/') && f.endsWith('.css'))).toEqual([])
  })

  it('reports a failing fence at its line in the file, through a multi-line comment, and says when a template wrote it', async () => {
    const p = await project({
      ...eleventyConfig(),
      'content/_includes/partial.md': fence('bash run', 'echo from a partial\nexit 5'),
      'content/a.md': `---\ntitle: A\ntemplateEngineOverride: njk,md\n---\n\n{# a comment\n   over\n   three lines #}\nText.\n\n${fence('python run', 'print(1)\nprint(1 / 0)')}\n{% include "partial.md" %}\n`,
    })
    const run = await runEleventy(p.dir, [], { PISTON_URL: testServer().url })
    expect(run.code).toBe(1)
    // The fence's own line (11) and the line of the error in it (13), not 4 lines up.
    expect(run.stderr).toContain('content/a.md:13:7: error  python snippet exited with code 1 (expected exit code 0)  [snippet-failed]')
    expect(run.stderr).toMatch(/^content\/a\.md: error {2}bash snippet exited with code 5 \(expected exit code 0\) \(line unknown: rendered from a template\) {2}\[snippet-failed\]$/m)
  })
})

describe('highlight.allFences in the site\'s markdown-it', { timeout: 120_000 }, () => {
  it('colours the ordinary fences with this package\'s Shiki, on pages with and without a block, and links the stylesheet there', async () => {
    const p = await project({
      ...eleventyConfig('{ highlight: { allFences: true } }'),
      'content/a.md': post('A', `${fence('js {2}', 'let a = 1\nlet b = 2')}\n${fence('python run', 'print("hi")')}`),
      'content/b.md': post('B', `Only an ordinary fence:\n\n${fence('bash', 'echo plain')}`),
      'content/c.md': post('C', 'No code.'),
    })
    const run = await runEleventy(p.dir, [], { PISTON_URL: testServer().url })
    expect(run.code, run.stderr).toBe(0)
    for (const page of ['a', 'b']) {
      const html = await readFile(join(p.dir, `dist/${page}/index.html`), 'utf8')
      expect(html).toMatch(/<pre class="rb-hl" data-rb-highlighted=""><code class="language-(js|bash)"><span class="rb-line/)
      expect(html).toMatch(/<link rel="stylesheet" href="\.\.\/assets\/runnable\.[0-9a-f]{10}\.css">/)
    }
    // The {2} of an ordinary fence marks its line, as on the unified path.
    expect(await readFile(join(p.dir, 'dist/a/index.html'), 'utf8')).toContain('rb-mark')
    expect(await readFile(join(p.dir, 'dist/c/index.html'), 'utf8')).not.toContain('runnable')
  })
})

/** Each entry's content of an Atom feed, parsed as XML by Python's parser (which refuses a feed that is not well-formed). */
function atomEntries(path: string): string[] {
  const script = 'import json,sys,xml.dom.minidom as m\nd=m.parse(sys.argv[1])\nprint(json.dumps([c.firstChild.data if c.firstChild else "" for c in d.getElementsByTagName("content")]))'
  const result = spawnSync('python3', ['-c', script, path], { encoding: 'utf8' })
  expect(result.status, result.stderr).toBe(0)
  return JSON.parse(result.stdout) as string[]
}
