/**
 * A frozen build (RUNNABLE_FROZEN, `check --frozen`) cannot ask the server
 * which languages it has: a language that is neither one runnable-blog
 * knows nor that of a committed result is named as the problem, not reported
 * as a missing result.
 */
import { describe, expect, it } from 'vitest'
import { fence, post, runMain, useServerAndProjects } from '../helpers/project.js'

const { project } = useServerAndProjects()

describe('a frozen build and a language it cannot know', () => {
  it('says "unknown language" (with the closest name) for a typo, and "no result" for a language it knows', async () => {
    const p = await project({ 'content/a.md': post('A', `${fence('pyhton run', 'print(1)')}\n${fence('python run', 'print(2)')}`) })
    const run = await runMain(['check', '--frozen'], { cwd: p.dir })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('content/a.md:6:1: error  pyhton snippet could not run: unknown language "pyhton"; did you mean "python"? (no committed result is in it, and a frozen build cannot ask the server)  [unknown-runtime]')
    expect(run.stderr).toContain('content/a.md:10:1: error  python snippet could not run: no result in the committed cache (a frozen build never runs snippets)  [missing-result]')
  })
})
