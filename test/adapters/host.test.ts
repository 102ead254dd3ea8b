// The host core: its ownership of the engine (one it made, it closes; one it was given stays the
// caller's), its options, and `check`, which judges pages as `render` does without making them.
import type { Root } from 'hast'
import type { Processor } from 'unified'
import { afterAll, describe, expect, it } from 'vitest'
import { createRunnableHost } from '../../src/adapters/host.js'
import { resolveOptions } from '../../src/adapters/options.js'
import { checkContent } from '../../src/cli/check-content.js'
import { createLocalEngine } from '../../src/execution/local-engine.js'
import type { Engine } from '../../src/execution/types.js'
import { fence, makeProject } from '../helpers/project.js'

const local = createLocalEngine()
let closes = 0
const given: Engine = { ...local, close: async () => void closes++ }
afterAll(() => local.close())

describe('an Engine object passed as `engine`', () => {
  it('is not closed by the build, so one engine serves several checks', async () => {
    const project = await makeProject({ 'content/post.md': `# Post\n\n${fence('bash run', 'echo one')}\n` })
    try {
      const first = await checkContent({ root: project.dir, engine: given })
      expect(first.stats).toMatchObject({ ran: 1, failed: 0 })
      await project.write('content/post.md', `# Post\n\n${fence('bash run', 'echo two')}\n`)
      const second = await checkContent({ root: project.dir, engine: given })
      expect(second.stats).toMatchObject({ ran: 1, failed: 0 })
      expect(closes).toBe(0)
    } finally {
      await project.remove()
    }
  })
})

describe('options', () => {
  it('names an unknown option, suggests the closest, and lists only the documented ones', () => {
    expect(() => resolveOptions({ concurency: 3 } as never, {}, '/')).toThrow(
      'runnable-blog: unknown option "concurency", did you mean "concurrency"? (known: engine, pistonUrl, token, cacheDir, concurrency, live, limits, frozen, refresh, configFile, remarkPlugins, rehypePlugins, highlight, colorScheme)',
    )
    // A host adapter's own options are listed and suggested too.
    expect(() => resolveOptions({ shortcod: 'run' } as never, {}, '/', ['shortcode', 'assetsDir'])).toThrow(/^runnable-blog: unknown option "shortcod", did you mean "shortcode"\? \(known: .*colorScheme, shortcode, assetsDir\)$/)
    expect(() => resolveOptions({ zzz: 1 } as never, {}, '/')).toThrow(/^runnable-blog: unknown option "zzz" \(known: /)
  })

  it("bounds the limits to what Node's timers hold, given as options or in the config file", async () => {
    const words = "must be at most 2147483647 ms (about 24 days), the longest wait Node's timers can hold"
    expect(() => resolveOptions({ limits: { runTimeout: 2 ** 31 } }, {}, '/')).toThrow(`runnable-blog: limits.runTimeout ${words}`)
    expect(resolveOptions({ limits: { runTimeout: 2 ** 31 - 1 }, configFile: false }, {}, '/').limits.timeoutMs).toBe(2 ** 31 - 1)
    const project = await makeProject({ 'runnable-blog.config.json': JSON.stringify({ limits: { compileTimeout: 2 ** 31 } }) })
    try {
      expect(() => resolveOptions({}, {}, project.dir)).toThrow(`runnable-blog.config.json: "limits.compileTimeout" ${words} (milliseconds), got 2147483648`)
    } finally {
      await project.remove()
    }
  })
})

describe('check: a page judged without its HTML', () => {
  const page = `# Post\n\n${fence('bash run', 'echo fine')}\n\n${fence('bash run', 'exit 3')}\n\n${fence('bash run timeout=soon', 'echo never')}\n`

  it('records the same problems and snippets as render', async () => {
    const project = await makeProject({})
    try {
      const results = []
      for (const how of ['render', 'check'] as const) {
        const host = createRunnableHost({ engine: given, cacheDir: `cache-${how}`, configFile: false }, { cwd: project.dir })
        host.startBuild()
        expect(await host[how](page, { path: 'content/post.md', lineOffset: 2 })).toEqual(how === 'render' ? expect.stringContaining('<figure class="rb-snip') : undefined)
        const report = host.finishBuild()
        results.push({ problems: report.problems, summary: report.summary, failed: report.failed, snippets: report.files.map((f) => f.data.snippets) })
        await host.close()
      }
      expect(results[0]!.problems).toHaveLength(2)
      expect(results[0]!.failed).toBe(true)
      expect(results[1]).toEqual(results[0])
    } finally {
      await project.remove()
    }
  })

  it('still runs rehype plugins, whose problems count too', async () => {
    const project = await makeProject({})
    try {
      const linkCheck = () => (tree: Root, file: import('vfile').VFile) => void file.message(`${tree.children.length} nodes checked`, { ruleId: 'link-check', source: 'test' })
      const host = createRunnableHost({ engine: given, configFile: false, rehypePlugins: [linkCheck] }, { cwd: project.dir })
      host.startBuild()
      await host.check(page, { path: 'content/post.md' })
      expect(host.finishBuild().files[0]!.messages.map((m) => m.ruleId)).toContain('link-check')
      await host.close()
    } finally {
      await project.remove()
    }
  })
})

describe('each page is parsed in an event-loop turn of its own, so answers that come in are read between them', () => {
  // `check` asks for every page at once; Eleventy for one after another, through promises alone.
  it.each([
    ['render', 'at once'],
    ['check', 'at once'],
    ['render', 'one after another'],
  ] as const)('%s, pages asked for %s', async (how, asked) => {
    // A counter the event loop advances once per turn (immediates queued in a turn run in the next).
    let turns = 0
    let ticking = true
    const tick = () => void (turns++, ticking && setImmediate(tick))
    setImmediate(tick)
    const parsedAt: number[] = []
    const host = createRunnableHost(
      {
        engine: given,
        configFile: false,
        frozen: true,
        remarkPlugins: [
          function (this: Processor) {
            const parse = this.parser!
            this.parser = (document, file) => (parsedAt.push(turns), parse(document, file))
          },
        ],
      },
      { cwd: '/' },
    )
    try {
      const page = (i: number) => host[how](`# Page ${i}\n\nProse.\n`, { path: `content/${i}.md` })
      if (asked === 'at once') await Promise.all([0, 1, 2, 3, 4].map(page))
      else for (let i = 0; i < 5; i++) await page(i)
    } finally {
      ticking = false
    }
    expect(parsedAt).toHaveLength(5)
    for (let i = 1; i < 5; i++) expect(parsedAt[i]).toBeGreaterThan(parsedAt[i - 1]!)
  })
})
