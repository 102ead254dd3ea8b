// The benchmark's corpus generator and harness work (not how fast anything is).
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { editSnippet, generateCorpus, generateRealCorpus, writeCorpus } from '../../bench/corpus.js'
import { createHelloEngine } from '../../bench/fake-engine.js'
import { eleventyBuild } from '../../bench/eleventy/build.js'
import { compare } from '../../bench/harness.js'
import { mirrorBuild } from '../../bench/pipelines.js'
import { checkContent } from '../../src/cli/check-content.js'
import { makeProject } from '../helpers/project.js'

const cleanups: Array<() => Promise<void>> = []
afterAll(async () => {
  for (const c of cleanups) await c()
})

describe('bench corpus', () => {
  it('is deterministic: same seed, same files; another seed, other files', () => {
    const a = generateCorpus({ seed: 7, posts: 4, snippets: 30 })
    const b = generateCorpus({ seed: 7, posts: 4, snippets: 30 })
    expect([...a.files]).toEqual([...b.files])
    expect(a.stats).toEqual(b.stats)
    expect([...generateCorpus({ seed: 8, posts: 4, snippets: 30 }).files.values()]).not.toEqual([...a.files.values()])
    expect(a.stats.runFences).toBe(30)
    expect(a.files.size).toBe(4)
  })

  it('builds cleanly, runs each distinct request once, and an edit changes exactly one', async () => {
    const corpus = generateCorpus({ seed: 3, posts: 3, snippets: 40 })
    const project = await makeProject({})
    cleanups.push(project.remove)
    await writeCorpus(project.dir, corpus)
    const engine = createHelloEngine()
    const cold = await checkContent({ root: project.dir, engine })
    expect(cold.files.flatMap((f) => f.messages.filter((m) => m.fatal).map(String))).toEqual([])
    expect(cold.stats.ran).toBe(engine.calls)
    expect(cold.stats.total).toBeLessThanOrEqual(corpus.stats.uniqueJobs)

    const post = join(project.dir, 'content', [...corpus.files.keys()][1]!)
    await project.write(join('content', [...corpus.files.keys()][1]!), editSnippet(await readFile(post, 'utf8'), 2, 'edited'))
    const again = await checkContent({ root: project.dir, engine })
    expect(again.stats.ran).toBe(1)
  })

  it('the tutorial-shaped corpus: one engine call per distinct request (the pre-scan adds none), one per edited snippet, none for prose', async () => {
    const corpus = generateRealCorpus({ seed: 2, posts: 6, snippets: 24, clusterPosts: 2, hugeFenceLines: 300 })
    expect(corpus.stats.runFences).toBe(24)
    const project = await makeProject({})
    cleanups.push(project.remove)
    await writeCorpus(project.dir, corpus)
    const engine = createHelloEngine()
    const cold = await checkContent({ root: project.dir, engine, readOnly: false })
    expect(cold.files.flatMap((f) => f.messages.filter((m) => m.fatal).map(String))).toEqual([])
    expect(engine.calls).toBe(corpus.stats.uniqueJobs)
    expect(cold.stats).toMatchObject({ total: corpus.stats.uniqueJobs, ran: corpus.stats.uniqueJobs })

    const last = join('content', [...corpus.files.keys()].at(-1)!)
    const text = await readFile(join(project.dir, last), 'utf8')
    await project.write(last, editSnippet(text, 1, 'edited'))
    await checkContent({ root: project.dir, engine, readOnly: false })
    expect(engine.calls).toBe(corpus.stats.uniqueJobs + 1)
    await project.write(last, editSnippet(text, 1, 'edited').replace('\n## ', '\nA new line of prose.\n\n## '))
    const prose = await checkContent({ root: project.dir, engine, readOnly: false })
    expect(engine.calls).toBe(corpus.stats.uniqueJobs + 1)
    expect(prose.stats.cached).toBe(prose.stats.total)
  })

  it('the harness compares variants and the plain mirror builds the same posts', async () => {
    const project = await makeProject({})
    cleanups.push(project.remove)
    await writeCorpus(project.dir, generateCorpus({ seed: 1, posts: 2, snippets: 6 }))
    const result = await compare({ plain: () => mirrorBuild({ root: project.dir, stage: { kind: 'plain' } }), stub: () => mirrorBuild({ root: project.dir, stage: { kind: 'stub' } }) }, 'plain', 2, 0)
    expect(result.ratios.plain).toEqual({ wall: 1, cpu: 1 })
    expect(result.medians.stub!.wall).toBeGreaterThan(0)
    const files = await mirrorBuild({ root: project.dir, stage: { kind: 'plain' } })
    expect(files).toHaveLength(2)
    expect(String(files[0]!.result)).toContain('<pre><code class="language-')
  })

  it('the @shikijs/rehype baseline colours every fence, run fences included, with the default themes', async () => {
    const project = await makeProject({})
    cleanups.push(project.remove)
    const corpus = generateCorpus({ seed: 1, posts: 2, snippets: 6 })
    await writeCorpus(project.dir, corpus)
    const html = (await mirrorBuild({ root: project.dir, stage: { kind: 'plain', highlight: true } })).map((f) => String(f.result)).join('')
    const pres = html.match(/<pre[^>]*>/g) ?? []
    const fences = [...corpus.files.values()].join('\n').match(/^```/gm)!.length / 2
    expect(pres.length).toBe(fences)
    for (const pre of pres) expect(pre).toContain('class="shiki shiki-themes github-light github-dark"')
  })

  it("the users' baselines: Eleventy's markdown-it alone, and with @11ty/eleventy-plugin-syntaxhighlight colouring every fence with Prism; peak RSS measured", { timeout: 120_000 }, async () => {
    const project = await makeProject({})
    cleanups.push(project.remove)
    const corpus = generateCorpus({ seed: 1, posts: 2, snippets: 6 })
    await writeCorpus(project.dir, corpus)
    const html = async (out: string) => {
      const pages = (await readdir(join(project.dir, out), { recursive: true })).filter((name) => name.endsWith('index.html'))
      return (await Promise.all(pages.map((page) => readFile(join(project.dir, out, page), 'utf8')))).join('')
    }
    const prism = await eleventyBuild(project.dir, 'markdown-it', 'dist-prism', { BENCH_PRISM: '1' })
    const plain = await eleventyBuild(project.dir, 'markdown-it', 'dist-mdit')
    const fences = [...corpus.files.values()].join('\n').match(/^```/gm)!.length / 2
    expect((await html('dist-prism')).match(/<pre class="language-[a-z]+"[^>]*><code class="language-[a-z]+">/g)).toHaveLength(fences)
    expect(await html('dist-prism')).toContain('<span class="token ')
    const mdit = await html('dist-mdit')
    expect(mdit.match(/<pre><code class="language-[a-z]+">/g)).toHaveLength(fences)
    expect(mdit).not.toContain('class="token')
    if (existsSync('/usr/bin/time')) for (const run of [prism, plain]) expect(run.rssMb).toBeGreaterThan(20)
  })
})
