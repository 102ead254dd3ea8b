/**
 * rehypeRunnable: the same snippets, reports, cache keys and blocks as
 * remarkRunnable, from `pre > code`, and blocks that come out whole next to
 * each unified host highlighter.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import rehypeShiki from '@shikijs/rehype'
import rehypeExpressiveCode from 'rehype-expressive-code'
import rehypeHighlight from 'rehype-highlight'
import rehypePrettyCode from 'rehype-pretty-code'
import rehypeStringify from 'rehype-stringify'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { type PluggableList, unified } from 'unified'
import { VFile } from 'vfile'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPistonEngine } from '../../src/execution/piston-client.js'
import { createRunner } from '../../src/execution/runner.js'
import { createCacheStore } from '../../src/cache/store.js'
import rehypeRunnable from '../../src/hast/plugin.js'
import remarkRunnable from '../../src/markdown/plugin.js'
import { formatMessages } from '../../src/report/format.js'
import { startPistonServer, type PistonServer } from '../piston-server/index.js'

let server: PistonServer
let cacheDir: string
beforeAll(async () => {
  server = await startPistonServer()
  cacheDir = await mkdtemp(join(tmpdir(), 'rb-rehype-'))
})
afterAll(async () => {
  await server.close()
  await rm(cacheDir, { recursive: true, force: true })
})

const markdown = [
  '# Post',
  '',
  '```python run title="Greet" timeout=2000',
  'print("hi <b>")',
  '```',
  '',
  '```text output',
  'hi <b>',
  '```',
  '',
  '```js',
  'const ordinary = 1',
  '```',
  '',
  '```bash run',
  'echo broken; exit 3',
  '```',
  '',
  '```python run timeout=soon',
  'print(2)',
  '```',
  '',
].join('\n')

function render(stage: 'remark' | 'rehype', highlighters: PluggableList = []) {
  const runner = createRunner({ engine: createPistonEngine({ url: server.url }), cache: createCacheStore(cacheDir) })
  const processor = unified().use(remarkParse)
  if (stage === 'remark') processor.use(remarkRunnable, { runner, live: true })
  processor.use(remarkRehype)
  if (stage === 'rehype') processor.use(rehypeRunnable, { runner, live: true })
  processor.use(highlighters).use(rehypeStringify)
  const file = new VFile({ path: 'posts/a.md', value: markdown })
  return processor.process(file).then((out) => ({ html: String(out), file, runner }))
}

const blocks = (html: string) => [...html.matchAll(/<figure class="rb-snippet"[\s\S]*?<\/figure>/g)].map((m) => m[0])

describe('rehypeRunnable', () => {
  it('gives what remarkRunnable gives: the same blocks, records, problems at their places, and cache keys', async () => {
    const remark = await render('remark')
    const rehype = await render('rehype')
    expect(blocks(rehype.html)).toEqual(blocks(remark.html))
    expect(blocks(rehype.html)).toHaveLength(3)
    expect(rehype.html).not.toContain('language-text') // the output fence was folded into its snippet
    expect(rehype.html).toContain('<pre><code class="language-js">const ordinary = 1\n</code></pre>')
    // Same records and keys; only where the result came from differs (the first build ran it).
    const keys = (snippets = remark.file.data.snippets!) => snippets.map((s) => ({ ...s, program: s.program?.key }))
    expect(keys(rehype.file.data.snippets)).toEqual(keys(remark.file.data.snippets))
    expect(formatMessages([rehype.file])).toEqual(formatMessages([remark.file]))
    expect(formatMessages([rehype.file]).join('\n')).toMatch(/^posts\/a\.md:15:1: error {2}bash snippet exited with code 3/m)
    expect(formatMessages([rehype.file]).join('\n')).toMatch(/^posts\/a\.md:19:15: error {2}timeout must be a positive whole number/m)
    // The second build found every program in the cache the first one wrote.
    expect(rehype.runner.stats).toMatchObject({ cached: 2, ran: 0 })
    expect(await readdir(cacheDir)).toHaveLength(2)
  })

  // Each with how it colours a token of the ordinary fence.
  const highlighters: Array<[string, PluggableList, RegExp?]> = [
    ['rehype-pretty-code', [[rehypePrettyCode, { theme: 'github-light' }]]],
    ['rehype-expressive-code', [[rehypeExpressiveCode, { themes: ['github-light'] }]]],
    ['@shikijs/rehype', [[rehypeShiki, { theme: 'github-light', langs: ['js', 'python', 'bash'] }]]],
    ['rehype-highlight', [rehypeHighlight], /<span class="hljs-keyword">const/],
  ]
  for (const [name, plugins, token = /<span style="[^"]*">const/] of highlighters) {
    it(`keeps blocks whole next to ${name}, which still highlights the other fences`, async () => {
      const plain = await render('rehype')
      const { html } = await render('rehype', plugins)
      // The block, byte for byte: its classes, data-rb-* attributes and code highlighted once, by this package.
      expect(blocks(html)).toEqual(blocks(plain.html))
      expect(blocks(html)[0]).toContain('<pre class="rb-code rb-hl" data-rb-highlighted=""><!--runnable-blog--><code class="language-python no-highlight"><span class="rb-line">')
      expect(blocks(html)[0]).toContain('data-rb-program=')
      // The ordinary fence is the highlighter's: its tokens are coloured spans now.
      expect(html).not.toContain('<pre><code class="language-js">const')
      expect(html).toMatch(token)
    })
  }

  for (const [name, plugins, by] of [
    ['@shikijs/rehype', highlighters[2]![1], 'Shiki (@shikijs/rehype)'],
    ['rehype-pretty-code', highlighters[0]![1], 'rehype-pretty-code'],
  ] as const) {
    it(`says so, and where to put it, when it runs after ${name}`, async () => {
      const runner = createRunner({ engine: createPistonEngine({ url: server.url }), cache: createCacheStore(cacheDir) })
      const processor = unified().use(remarkParse).use(remarkRehype).use(plugins).use(rehypeRunnable, { runner }).use(rehypeStringify)
      const file = await processor.process(new VFile({ path: 'posts/late.md', value: markdown }))
      expect(formatMessages([file])).toEqual([
        expect.stringMatching(
          new RegExp(`^posts/late\\.md(?::\\d+:1)?: error {2}rehypeRunnable runs after ${by.replace(/[()@]/g, '\\$&')}: .* put rehypeRunnable before the highlighter in the rehype plugins {2}\\[plugin-order\\]$`),
        ),
      ])
      expect(file.data.snippets ?? []).toEqual([])
    })
  }

  it('names a file given as text alone <input>, as unified does', async () => {
    const runner = createRunner({ engine: createPistonEngine({ url: server.url }), cache: createCacheStore(cacheDir) })
    const processor = unified().use(remarkParse).use(remarkRehype).use(rehypeRunnable, { runner, failOnError: true }).use(rehypeStringify)
    await expect(processor.process('Text.\n\n```bash run\nexit 2\n```\n')).rejects.toThrow(/^runnable-blog: 1 snippet error\n<input>:3:1: error {2}bash snippet exited with code 2/)
  })
})
