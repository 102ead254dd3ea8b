/**
 * `runnable-blog/astro` beside Starlight: pages in its `docs` collection
 * (`.md` and `.mdx`), a real Astro 7 build (Node 22) against the Piston test
 * server.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { linkModules, runAstro, starlightEnv, starlightSite } from '../helpers/astro.js'
import type { ChildOutput } from '../helpers/child.js'
import { fence, makeProject } from '../helpers/project.js'
import { startPistonServer, type PistonServer } from '../piston-server/index.js'

// Lines 1-4 front matter, 6 the prose, 8 the fence, 10 its failing line.
// 17: a run fence written as Expressive Code users write theirs; 22: one of Expressive Code's own.
const guide =
  `---\ntitle: Guide\ndescription: A guide\n---\n\nSome prose.\n\n${fence('python run title="Divide"', 'x = 1\nprint(x / 0)')}\n${fence('bash run', 'echo "in the docs"')}\n` +
  `${fence('python run "marked" ins={2} mark={1}', 'print("marked")\nprint("inserted")')}\n${fence('js title="plain.js" ins={2}', 'let a = 1\nlet b = 2')}\n` +
  // 27: a run fence in one of Starlight's asides, which hands its blocks on inside a paragraph named `aside`.
  `:::tip[Try it]\n${fence('python run', 'print("from an aside")')}:::\n`
// A draft, which Starlight does not publish: line 4 marks it, its snippet would fail.
const draft = `---\ntitle: Work in progress\ndescription: Not yet\ndraft: true\n---\n\n${fence('python run', 'print(1 / 0)')}`
// A draft of another collection than Starlight's docs, which the site's own pages may well publish: it runs.
const note = `---\ntitle: A note\ndraft: true\n---\n\n${fence('python run', 'print("note"); raise SystemExit(4)')}`
const notesConfig = [
  "import { defineCollection } from 'astro:content'",
  "import { glob } from 'astro/loaders'",
  "import { docsLoader } from '@astrojs/starlight/loaders'",
  "import { docsSchema } from '@astrojs/starlight/schema'",
  "export const collections = { docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }), notes: defineCollection({ loader: glob({ base: './src/content/notes', pattern: '**/*.md' }) }) }",
  '',
].join('\n')
const mdx = `---\ntitle: In MDX\n---\n\nexport const answer = 42\n\nMDX says {answer}.\n\n${fence('bash run', 'echo mdx; exit 3')}`

let engine: PistonServer
let project: Awaited<ReturnType<typeof makeProject>>
let run: ChildOutput

beforeAll(async () => {
  ;[engine, project] = await Promise.all([startPistonServer(), makeProject({ ...starlightSite({ 'guide.md': guide, 'reference/mdx.mdx': mdx, 'wip.md': draft }), 'src/content.config.ts': notesConfig, 'src/content/notes/n.md': note })])
  await linkModules(project.dir)
  run = await runAstro(project.dir, ['build'], { PISTON_URL: engine.url, ...starlightEnv })
}, 180_000)
afterAll(async () => {
  await Promise.all([engine?.close(), project?.remove()])
})

describe('the Astro integration beside Starlight', { timeout: 180_000 }, () => {
  it("reports the docs collection's problems at their lines in the file, .md and .mdx", () => {
    expect(run.code, run.stderr).toBe(1)
    expect(run.stderr.split('\n').filter((line) => /^src\/\S+: error /.test(line))).toEqual([
      'src/content/docs/guide.md:10:7: error  python snippet "Divide" exited with code 1 (expected exit code 0)  [snippet-failed]',
      'src/content/docs/reference/mdx.mdx:9:1: error  bash snippet exited with code 3 (expected exit code 0)  [snippet-failed]',
      'src/content/notes/n.md:6:1: error  python snippet exited with code 4 (expected exit code 0)  [snippet-failed]',
    ])
    expect(run.stderr).toMatch(/^\[runnable-blog\] 6 snippets: 3 passed, 3 failed, 0 skipped/m)
  })

  it('runs nothing of a docs draft, which a production build does not publish, and says so', async () => {
    expect(run.stderr).toContain(
      'src/content/docs/wip.md:4:1: note  draft: true: a production build does not publish this page, so its snippet is not run (astro dev and runnable-blog check run it)  [draft-not-run]',
    )
    expect(run.stderr).not.toMatch(/wip\.md:\d+:\d+: error/)
    await expect(readFile(join(project.dir, 'dist/wip/index.html'))).rejects.toThrow(/ENOENT/)
  })

  it('runs a docs draft in a build of another mode, which Starlight publishes', async () => {
    const staging = await runAstro(project.dir, ['build', '--mode', 'staging', '--outDir', 'dist-staging'], { PISTON_URL: engine.url, ...starlightEnv })
    expect(staging.stderr).toContain('src/content/docs/wip.md:8:7: error  python snippet exited with code 1 (expected exit code 0)  [snippet-failed]')
    expect(staging.stderr).not.toContain('[draft-not-run]')
    expect(await readFile(join(project.dir, 'dist-staging/wip/index.html'), 'utf8')).toContain('ZeroDivisionError')
  })

  it("runs a fence inside one of Starlight's asides, in the aside", async () => {
    const html = await readFile(join(project.dir, 'dist/guide/index.html'), 'utf8')
    expect(html).toMatch(/<aside aria-label="Try it" class="starlight-aside starlight-aside--tip">(?:(?!<\/aside>)[^])*<figure class="rb-snippet" data-rb-status="ok">(?:(?!<\/aside>)[^])*<pre class="rb-stream rb-stdout">[^]*?from an aside\n<\/pre>/)
  })

  it("runs a fence carrying Expressive Code's meta, marks its mark={1} line, and says which of the rest it does not show", async () => {
    const shown = "is not shown: runnable-blog draws this block, not the site's highlighter"
    expect(run.stderr.split('\n').filter((line) => /^src\/\S+: warning /.test(line))).toEqual([
      `src/content/docs/guide.md:17:15: warning  the text marker "marked" ${shown}  [ignored-meta]`,
      `src/content/docs/guide.md:17:24: warning  ins={2} ${shown}; mark lines with {2-4}  [ignored-meta]`,
    ])
    const html = await readFile(join(project.dir, 'dist/guide/index.html'), 'utf8')
    const block = [...html.matchAll(/<figure class="rb-snippet"[^]*?<\/figure>/g)].map((m) => m[0]).find((figure) => figure.includes('inserted'))!
    expect(block).toMatch(/^[^]*?<span class="rb-line rb-mark">.*marked.*<\/span>\n<span class="rb-line">.*inserted/)
    expect(block).toContain('marked\ninserted\n</pre>')
    // Expressive Code's own fence is still Expressive Code's, its ins={2} line marked by it.
    expect(html).toMatch(/<div class="expressive-code">(?:(?!rb-snippet)[^])*plain\.js(?:(?!rb-snippet)[^])*class="ec-line[^"]* ins"/)
  })

  it('bakes the blocks into the pages, with the stylesheet linked', async () => {
    const html = await readFile(join(project.dir, 'dist/guide/index.html'), 'utf8')
    expect(html).toContain('in the docs\n')
    const [, css] = /<link rel="stylesheet" href="\/(_runnable\/runnable\.[0-9a-f]{10}\.css)">/.exec(html) ?? []
    // Starlight's fences follow the colour scheme (Expressive Code), so do the blocks: github-light's foreground in the light palette.
    expect(await readFile(join(project.dir, 'dist', css!), 'utf8')).toContain('.rb-l0{--rb-cl:#24292e}')
  })
})
