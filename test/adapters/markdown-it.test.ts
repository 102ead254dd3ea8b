// The runnable step inside a site's own markdown-it (Eleventy's): each page parsed once, the site's own wrapper of
// `render` (put on before ours) still wraps every page, and a filter's call without a page renders at once.
import MarkdownIt from 'markdown-it'
import { afterAll, describe, expect, it } from 'vitest'
import { createRunnableHost } from '../../src/adapters/host.js'
import { runnableMarkdownIt } from '../../src/adapters/eleventy/markdown-it.js'
import { fence, makeProject } from '../helpers/project.js'

const project = await makeProject({})
const host = createRunnableHost({ engine: 'local', cacheDir: `${project.dir}/cache`, highlight: false, configFile: false })
afterAll(async () => {
  await host.close()
  await project.remove()
})

describe('runnableMarkdownIt', () => {
  it('parses each page once, keeps the site render wrapper, and runs the page fences', async () => {
    const md = new MarkdownIt()
    let parses = 0
    md.core.ruler.push('count', () => void parses++)
    const siteRender = md.render
    md.render = (src: string, env?: object) => `${siteRender.call(md, src, env)}<!--site-->`
    runnableMarkdownIt(md as never, host, (html) => html)
    host.startBuild()

    const pages = ['a', 'b'].map((name) => `# ${name}\n\n${fence('bash run', `echo "page ${name}"`)}\n${fence('js', 'ordinary()')}`)
    const html = await Promise.all(pages.map((src, i) => md.render(src, { page: { inputPath: `content/${i}.md`, url: `/${i}/` } })))
    expect(parses).toBe(2)
    for (const [i, page] of html.entries()) {
      expect(page).toMatch(/<!--site-->$/)
      expect(page).toContain(`<h1>${['a', 'b'][i]}</h1>`)
      expect(page).toContain(`page ${['a', 'b'][i]}`)
      expect(page).toContain('class="rb-snippet')
      expect(page).toContain('<pre><code class="language-js">ordinary()')
    }
    // A record keeps no way back to the page's parse (its line map's scope holds the tokens) until the build ends.
    expect(host.finishBuild().files.map((f) => [f.path, 'sourceLine' in f.data])).toEqual([['content/0.md', false], ['content/1.md', false]])
    // No page (a filter of the site's): rendered at once, a string, by the site's render alone.
    const plain = md.render('```bash run\necho no\n```\n')
    expect(plain).toBe('<pre><code class="language-bash">echo no\n</code></pre>\n<!--site-->')
    expect(parses).toBe(3)
  })
})
