/**
 * The runnable step on Sätteri itself (the Markdown processor Astro 7 uses
 * by default), without an Astro build: which pages it walks, and what it
 * records for the others.
 */
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'
import { markdownToHtml } from 'satteri'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRunnableHost, type RunnableHost } from '../../src/adapters/host.js'
import { satteriRunnable } from '../../src/adapters/astro/satteri.js'
import { createLocalEngine } from '../../src/execution/local-engine.js'
import { fence, makeProject } from '../helpers/project.js'

/** Our step's declared shape is the part of Sätteri's API it uses, not Sätteri's own type. */
type Plugins = NonNullable<NonNullable<Parameters<typeof markdownToHtml>[1]>['mdastPlugins']>

const engine = createLocalEngine()
let project: Awaited<ReturnType<typeof makeProject>>
let host: RunnableHost
beforeAll(async () => {
  project = await makeProject({})
  host = createRunnableHost({ engine, cacheDir: 'cache', highlight: false, configFile: false }, { cwd: project.dir })
  host.startBuild()
})
afterAll(async () => {
  await engine.close()
  await project.remove()
})

/** One page through Sätteri with the step last, as Astro runs it; `before`: a plugin of the site's first. */
async function render(markdown: string, before: object[] = []) {
  const fileURL = pathToFileURL(join(project.dir, 'src/pages/post.md'))
  await project.write('src/pages/post.md', markdown)
  return (await markdownToHtml(markdown, { mdastPlugins: [...before, satteriRunnable(host, project.dir)] as Plugins, fileURL })).html
}

describe('the runnable step on Sätteri', () => {
  it('leaves a page without a fence of its own as Sätteri alone makes it, unwalked, and records it with nothing', async () => {
    const markdown = `# Plain\n\nProse with \`code\`.\n\n${fence('js', 'const x = 1')}\n- a list\n  ${'```'}\n  nested\n  ${'```'}\n`
    const step = satteriRunnable(host, project.dir)
    let walked = false
    const watched = { ...step, after: (root: object, ctx: Parameters<typeof step.after>[1]) => step.after(new Proxy(root, { get: (t, k) => ((walked ||= k === 'children'), Reflect.get(t, k)) }), ctx) }
    const fileURL = pathToFileURL(join(project.dir, 'src/pages/plain.md'))
    const html = (await markdownToHtml(markdown, { mdastPlugins: [watched] as Plugins, fileURL })).html
    expect(html).toBe((await markdownToHtml(markdown)).html)
    expect(walked).toBe(false)
    const report = host.finishBuild()
    expect(report.files.map((f) => [f.path, f.data.snippets?.length ?? 0])).toContainEqual(['src/pages/plain.md', 0])
  })

  it('runs the fences of a page that has one, and a fence a plugin before it wrote', async () => {
    expect(await render(`Intro.\n\n${fence('bash run', 'echo from the file')}`)).toMatch(/rb-stdout">.*from the file\n<\/pre>/s)
    const make = { name: 'make', paragraph: (node: { children: Array<{ value?: string }> }) => (node.children[0]?.value === 'MAKE' ? { type: 'code', lang: 'bash', meta: 'run', value: 'echo made' } : undefined) }
    expect(await render('Intro.\n\nMAKE\n', [make])).toMatch(/rb-stdout">.*made\n<\/pre>/s)
  })

  it('replaces the record of a page rendered again without its failing fence (astro dev), so the build no longer fails', async () => {
    await render(`Broken.\n\n${fence('bash run', 'exit 3')}`)
    expect(host.finishBuild().failed).toBe(true)
    await render('Fixed: no snippet left.\n')
    expect(host.finishBuild().failed).toBe(false)
  })
})
