/**
 * A site's search index holds what the author wrote and what the program
 * printed, never the block's own words: Pagefind (which Starlight runs on
 * every build) indexes a page built by the plugin, and Chromium searches it
 * with Pagefind's own script.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as pagefind from 'pagefind'
import type { Browser, Page } from 'playwright-core'
import rehypeStringify from 'rehype-stringify'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'
import { VFile } from 'vfile'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPistonEngine } from '../../src/execution/piston-client.js'
import remarkRunnable from '../../src/markdown/plugin.js'
import { startPistonServer } from '../piston-server/index.js'
import { launchChromium, serveDirectory, type StaticServer } from './helpers.js'

const POST = [
  '# Counting',
  '',
  '```python run title="Zebra count"',
  'print("zebrafish")',
  'for i in range(25): print("row", i)',
  '```',
  '',
  '```python run expect=failure',
  'raise SystemExit("quokka")',
  '```',
  '',
  '```python run',
  'print(input())',
  '```',
  '',
  '```text stdin',
  'platypus',
  '```',
  '',
  '```python skip',
  'print("wombat")',
  '```',
  '',
].join('\n')

let dir: string
let site: StaticServer
let browser: Browser
let page: Page
let html: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rb-pagefind-'))
  const server = await startPistonServer()
  try {
    const processor = unified()
      .use(remarkParse)
      .use(remarkRunnable, { engine: createPistonEngine({ url: server.url }), cacheDir: join(dir, 'cache') })
      .use(remarkRehype)
      .use(rehypeStringify)
    const file = await processor.process(new VFile({ path: 'post.md', value: POST }))
    expect(file.messages.filter((message) => message.fatal)).toEqual([])
    html = `<!doctype html><html lang="en"><head><title>Counting</title></head><body><main>${String(file)}</main></body></html>`
  } finally {
    await server.close()
  }
  const site_ = join(dir, 'site')
  const { index } = await pagefind.createIndex({})
  await index!.addHTMLFile({ url: '/post/', content: html })
  await index!.writeFiles({ outputPath: join(site_, 'pagefind') })
  await pagefind.close()
  await writeFile(join(site_, 'index.html'), '<!doctype html><title>search</title>')
  ;[site, browser] = await Promise.all([serveDirectory(site_, undefined, { csp: false }), launchChromium()])
  page = await browser.newPage()
  await page.goto(`${site.origin}/`)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await site?.close()
  await rm(dir, { recursive: true, force: true })
})

/** What Pagefind's own script finds for `query`: each result's URL and indexed text. */
const search = (query: string): Promise<Array<{ url: string; content: string }>> =>
  // A string, not a function: vitest would rewrite a function's `import()` into its own loader.
  page.evaluate(`import('/pagefind/pagefind.js')
    .then((pagefind) => pagefind.search(${JSON.stringify(query)}))
    .then(({ results }) => Promise.all(results.map((result) => result.data())))`)

describe('a search index of a page with blocks', () => {
  it('the page carries the blocks being searched for', () => {
    // The block's words are all in the HTML: they are kept out of the index, not off the page.
    for (const words of ['stdout', 'stderr', 'stdin', 'Copy', 'ran at build time', 'more lines of stdout', 'skipped by the author', 'exited with code 1']) expect(html).toContain(words)
  })

  it('finds the code and every stream of output, folded lines included', async () => {
    for (const word of ['zebrafish', 'quokka', 'platypus', 'wombat', 'SystemExit']) expect((await search(word)).map(({ url }) => url), word).toEqual(['/post/'])
    const [result] = await search('zebrafish')
    expect(result!.content).toContain('row 24')
    expect(result!.content).toContain('Zebra count')
  })

  it('holds none of the block’s own words', async () => {
    for (const word of ['stdout', 'stderr', 'stdin', 'copy', 'build', 'lines', 'skipped', 'author', 'code']) expect(await search(word), word).toEqual([])
    const [result] = await search('zebrafish')
    expect(result!.content).not.toMatch(/stdout|stderr|stdin|Copy|ran at build time|more lines|not run|exited/)
  })
})
