/**
 * `runnable-blog/astro` under a real `astro dev` (Node 22, its own process
 * group, on 127.0.0.1): the build's runner stays up between renders, so an
 * edited snippet runs alone and a prose edit runs nothing, with the counting
 * Piston test server as the engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AstroDevServer, astroSite, linkModules, startAstroDev } from '../helpers/astro.js'
import { fence, makeProject } from '../helpers/project.js'
import { freePort } from '../deploy/caddy.js'
import { startPistonServer, type PistonServer } from '../piston-server/index.js'

const page = (prose: string, greeting: string) =>
  `---\ntitle: Dev\nlayout: ../../layouts/Base.astro\n---\n\n${prose}\n\n` +
  [fence('python run title="Greet"', `print("${greeting}")`), fence('bash run title="Count"', 'echo $((6 * 7))')].join('\n')

let engine: PistonServer
let project: Awaited<ReturnType<typeof makeProject>>
let dev: AstroDevServer

beforeAll(async () => {
  ;[engine, project] = await Promise.all([startPistonServer(), makeProject({ ...astroSite(), 'src/pages/posts/dev.md': page('First prose.', 'first greeting') })])
  await linkModules(project.dir)
  dev = startAstroDev(project.dir, await freePort(), { PISTON_URL: engine.url, RUNNABLE_LIVE_ENDPOINT: 'https://run.example.com/api/v2' })
})
afterAll(async () => {
  await dev?.stop()
  await Promise.all([engine?.close(), project?.remove()])
})

/** The page as the dev server renders it now ('' while it cannot answer yet). */
const render = () => {
  const origin = dev.origin()
  return origin === undefined
    ? Promise.resolve('')
    : fetch(`${origin}/posts/dev/`).then(
        (response) => response.text(),
        () => '',
      )
}

const until = (text: string) => dev.until(`the page to contain ${JSON.stringify(text)}`, async () => (await render()).includes(text))

describe('the Astro integration under `astro dev`', { timeout: 120_000 }, () => {
  it('runs each snippet once, then re-runs only an edited snippet; a prose edit runs nothing', async () => {
    await until('>first greeting\n')
    const html = await render()
    expect(html).toContain('>42\n')
    expect(html).toContain('First prose.')
    expect(engine.executions).toBe(2)

    await project.write('src/pages/posts/dev.md', page('First prose.', 'second greeting'))
    await until('>second greeting\n')
    expect(await render()).toContain('>42\n')
    expect(engine.executions).toBe(3)

    await project.write('src/pages/posts/dev.md', page('Edited prose.', 'second greeting'))
    await until('Edited prose.')
    expect(engine.executions).toBe(3)
  })

  it('serves pages as the build writes them: the stylesheet with the highlight colours, and the live runner with its endpoint', async () => {
    await until('class="rb-snippet')
    const html = await render()
    const [, css] = /<link rel="stylesheet" href="(\/_runnable\/runnable\.[0-9a-f]{10}\.css)">/.exec(html) ?? []
    // The page script at once; the live runner, named by the endpoint's meta tag, on first use.
    expect(html).toMatch(/<meta name="runnable-endpoint" content="https:\/\/run\.example\.com\/api\/v2" data-runner="\/_runnable\/runnable-live\.[0-9a-f]{10}\.js"><script src="\/_runnable\/runnable-copy\.[0-9a-f]{10}\.js" defer><\/script><\/head>/)
    const [, script] = /data-runner="([^"]*runnable-live[^"]*)"/.exec(html) ?? []
    const page = `${dev.origin()}/posts/dev/`
    const stylesheet = await fetch(new URL(css!, page)).then((r) => r.text())
    expect(stylesheet).toContain('.rb-snippet')
    // The colour classes of the block's highlighted code are in it too.
    const [colour] = /rb-l\d+/.exec(html) ?? []
    expect(stylesheet).toContain(`.${colour}`)
    const live = await fetch(new URL(script!, page))
    expect(live.headers.get('content-type')).toMatch(/javascript/)
    expect((await live.text()).length).toBeGreaterThan(1000)
  })

  it('shows an engine outage on the page, then the result after the next edit, without a restart', async () => {
    // Every connection dropped: more than the client's attempts for the one new program.
    engine.inject(...Array.from({ length: 12 }, () => ({ type: 'drop' }) as const))
    await project.write('src/pages/posts/dev.md', page('Outage prose.', 'after the outage'))
    await until('Outage prose.')
    expect(await render()).toContain('cannot reach Piston')
    engine.clearFaults()
    await project.write('src/pages/posts/dev.md', page('Prose after the outage.', 'after the outage'))
    await until('>after the outage\n')
    expect(await render()).not.toContain('cannot reach Piston')
  })

  it('prints a page\'s problems in the terminal as it renders it, at their lines, as a build does', async () => {
    const broken = page('Broken prose.', 'unused').replace('print("unused")', 'print(1 / 0)').replace('title="Count"', 'title="Count" timeout=soon')
    await project.write('src/pages/posts/dev.md', broken)
    await until('Broken prose.')
    expect(await render()).toContain('ZeroDivisionError')
    const lines = ['src/pages/posts/dev.md:9:7: error  python snippet "Greet" exited with code 1 (expected exit code 0)  [snippet-failed]', 'src/pages/posts/dev.md:12:27: error  timeout must be a positive whole number of milliseconds, got "soon"  [invalid-option]']
    await dev.until('the problems in the terminal', () => lines.every((line) => dev.output().includes(line)))
  })
})
