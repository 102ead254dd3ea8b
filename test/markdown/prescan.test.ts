/**
 * The pre-scan finds run fences by a line scan instead of a parse: every
 * request it queues must be byte for byte one the page's parse makes, or the
 * build would pay for a job no page asks for (and break "one engine call per
 * edited snippet").
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { VFile } from 'vfile'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateCorpus, generateRealCorpus } from '../../bench/corpus.js'
import { createRunnableHost } from '../../src/adapters/host.js'
import { cacheKey, normalizeRequest } from '../../src/cache/key.js'
import { createPistonEngine } from '../../src/execution/piston-client.js'
import { collectSnippets } from '../../src/markdown/collect.js'
import { frontMatterLines } from '../../src/markdown/front-matter.js'
import { prescanRequests } from '../../src/markdown/prescan.js'
import { startPistonServer, type PistonServer } from '../piston-server/index.js'

/** The keys of the requests the plugin makes for `source`, after a real parse (as the host does). */
function parsedKeys(source: string): string[] {
  const lines = frontMatterLines(source)
  const file = new VFile({ value: '\n'.repeat(lines) + source.split('\n').slice(lines).join('\n') })
  const tree = unified().use(remarkParse).use(remarkGfm).parse(file)
  return collectSnippets(tree, file).snippets.flatMap((s) => (s.request ? [cacheKey(normalizeRequest(s.request))] : []))
}
const scannedKeys = (source: string) => prescanRequests(source).map((r) => cacheKey(normalizeRequest(r)))

const fence = (info: string, code: string, marker = '```') => `${marker}${info}\n${code}\n${marker}`

describe('prescanRequests', () => {
  it('finds exactly the requests of the bench corpora, post by post (stdin and output fences, prepends, args, copies)', () => {
    const posts = [...generateCorpus({ seed: 5, posts: 6, snippets: 90 }).files.values(), ...generateRealCorpus({ seed: 5, posts: 4, snippets: 20, clusterPosts: 2, hugeFenceLines: 200 }).files.values()]
    let found = 0
    for (const post of posts) {
      const keys = scannedKeys(post)
      expect(keys).toEqual(parsedKeys(post))
      found += keys.length
    }
    expect(found).toBeGreaterThan(90)
  })

  it('ties a stdin fence to its run fence only when nothing stands between them, as the parse does', () => {
    const direct = [fence('python run', 'print(input())'), '', fence('text stdin', 'direct')].join('\n')
    const apart = [fence('python run', 'print(input())'), '', 'A paragraph.', '', fence('text stdin', 'apart')].join('\n')
    for (const source of [direct, apart]) expect(scannedKeys(source)).toEqual(parsedKeys(source))
    expect(prescanRequests(direct)[0]!.stdin).toBe('direct')
    expect(prescanRequests(apart)[0]!.stdin).toBeUndefined()
  })

  it('reads tilde fences, longer markers, fences inside longer fences, and escapes in the meta as the parse does', () => {
    const source = [
      '---',
      'title: "front matter with ```python run inside"',
      '---',
      fence('bash run title="say \\"hi\\""', 'echo "hi"'),
      fence('python run', 'print("~~~")', '~~~'),
      fence('markdown', fence('python run', 'print("not a fence of its own")'), '````'),
      'Text right before',
      fence('sql run id=a', "SELECT 'x';"),
      fence('bash run args="one two"', 'echo "$@"', '````'),
    ].join('\n')
    const keys = scannedKeys(source)
    expect(keys).toEqual(parsedKeys(source))
    expect(keys).toHaveLength(4)
  })

  it('gives nothing for what a line scan cannot place for sure, rather than a wrong request', () => {
    const unsure = {
      'indented fence (in a list item)': ['1. Step', '', '   ```python run', '   print(1)', '   ```'].join('\n'),
      'HTML block around a fence': ['<div>', fence('python run', 'print(2)'), '</div>'].join('\n'),
      'template tags (Eleventy renders them first)': fence('python run', 'print("{{ title }}")'),
      'a Nunjucks comment': fence('bash run', 'echo hi {# a note #}'),
      'CR line ends': fence('python run', 'print(3)').replace(/\n/g, '\r\n'),
      'unclosed fence': '```python run\nprint(4)\n',
    }
    for (const [name, source] of Object.entries(unsure)) expect(prescanRequests(source), name).toEqual([])
    // Bash's `${#x}` is no comment.
    expect(prescanRequests(fence('bash run', 'x=abc; echo "${#x}"'))).toHaveLength(1)
    // A fence in a blockquote is simply not seen; the ones beside it are.
    const quoted = ['> ```python run', '> print(5)', '> ```', '', fence('python run', 'print(6)')].join('\n')
    expect(scannedKeys(quoted)).toEqual([parsedKeys(quoted)[1]])
    expect(parsedKeys(quoted)).toHaveLength(2)
  })

  it('skips posts with no run fence without building anything', () => {
    expect(prescanRequests(['# Title', '', fence('python', 'print(1)'), '', 'Prose.'].join('\n'))).toEqual([])
  })
})

describe('a build with the pre-scan', () => {
  let server: PistonServer
  let dir: string
  beforeAll(async () => {
    server = await startPistonServer()
    dir = await mkdtemp(join(tmpdir(), 'rb-prescan-'))
  })
  afterAll(async () => {
    await server.close()
    await rm(dir, { recursive: true, force: true })
  })

  /** Renders every post through a fresh host (own cache), pre-scanning them all first or not. */
  async function build(posts: string[], cacheDir: string, prescan: boolean) {
    const host = createRunnableHost({ engine: createPistonEngine({ url: server.url }), cacheDir: join(dir, cacheDir), configFile: false }, { cwd: dir, env: {} })
    host.startBuild()
    const before = server.executions
    if (prescan) for (const post of posts) host.prefetch(post)
    const html = await Promise.all(posts.map((post, i) => host.render(post, { path: `post-${i}.md` })))
    const report = host.finishBuild()
    await host.close()
    return { html, executions: server.executions - before, summary: report.summary, problems: report.problems }
  }

  it('makes byte-identical pages and the same report, with the same engine calls: one per distinct request', async () => {
    const shared = fence('python run title="Shared"', 'print("in two posts")')
    const posts = [
      ['# One', '', 'Prose.', '', shared, '', fence('python run', 'print(input().upper())'), fence('text stdin', 'quiet'), '', fence('python run', 'print(1 / 0)')].join('\n'),
      ['# Two', '', fence('python id=setup hidden', 'def double(n):\n    return 2 * n'), '', fence('python run prepend=setup', 'print(double(21))'), fence('text output', '42'), '', shared].join('\n'),
      ['# Three', '', 'No snippets, only prose and a plain fence.', '', fence('python', 'print("not run")')].join('\n'),
    ]
    const without = await build(posts, 'cache-without', false)
    const withPrescan = await build(posts, 'cache-with', true)
    expect(withPrescan.html).toEqual(without.html)
    expect(withPrescan.summary).toBe(without.summary)
    expect(withPrescan.problems).toEqual(without.problems)
    expect(without.summary).toBe('5 snippets: 4 passed, 1 failed, 0 skipped; 4 programs: 0 cached, 4 ran (1 error)')
    expect([without.executions, withPrescan.executions]).toEqual([4, 4])
  }, 60_000)
})
