// The host core's ownership of the engine: one it made, it closes; one it was given stays the caller's.
import { afterAll, describe, expect, it } from 'vitest'
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
      'runnable-blog: unknown option "concurency", did you mean "concurrency"? (known: engine, pistonUrl, token, cacheDir, concurrency, live, limits, frozen, refresh, configFile, remarkPlugins, rehypePlugins, highlight)',
    )
    // A host adapter's own options are listed and suggested too.
    expect(() => resolveOptions({ shortcod: 'run' } as never, {}, '/', ['shortcode', 'assetsDir'])).toThrow(/^runnable-blog: unknown option "shortcod", did you mean "shortcode"\? \(known: .*highlight, shortcode, assetsDir\)$/)
    expect(() => resolveOptions({ zzz: 1 } as never, {}, '/')).toThrow(/^runnable-blog: unknown option "zzz" \(known: /)
  })
})
