/**
 * One post with pathological Markdown fails alone, quickly: `check` (the
 * core's path, as the unified and Astro hosts take it) reports it at its
 * place, still checks every other post, and exits non-zero.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { fence, makeProject, post, runMain } from '../helpers/project.js'

let remove: (() => Promise<void>) | undefined
afterEach(async () => {
  await remove?.()
  remove = undefined
})

describe('pathological Markdown in one post', () => {
  it('is a positioned error for that post within seconds, and the others are checked', { timeout: 60_000 }, async () => {
    const project = await makeProject({
      'content/emphasis.md': post('Emphasis', `Intro.\n\n${'*a '.repeat(3000)}b${' a*'.repeat(3000)}\n\n${fence('bash run', 'echo never')}`),
      'content/links.md': post('Links', `${'['.repeat(3000)}x${'](u)'.repeat(3000)}\n`),
      'content/quotes.md': post('Quotes', `${'>'.repeat(3000)} deep\n`),
      'content/ranges.md': post('Ranges', fence('bash run {1-99999,1-99999}', 'echo ranges')),
      'content/fine.md': post('Fine', fence('bash run', 'echo fine')),
    })
    remove = project.remove
    const started = performance.now()
    const run = await runMain(['check', '--engine', 'local'], { cwd: project.dir })
    const seconds = (performance.now() - started) / 1000
    expect(run.stderr).toContain('content/emphasis.md:8:301: error  emphasis, strikethrough and links nest more than 100 levels deep here')
    expect(run.stderr).toContain('content/links.md:6:101: error  emphasis, strikethrough and links nest more than 100 levels deep here')
    expect(run.stderr).toContain('content/quotes.md:6:101: error  block quotes and lists nest more than 100 levels deep here')
    // The huge line ranges are read once each: that post runs like any other.
    expect(run.stderr).toContain('2 snippets: 2 passed, 0 failed, 0 skipped')
    expect(run.code).toBe(1)
    expect(seconds).toBeLessThan(20)
  })
})
