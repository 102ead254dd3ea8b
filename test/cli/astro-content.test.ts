/**
 * `check`, `update` and `runtimes` find an Astro project's posts with no
 * flags (src/content, src/pages, the content config's glob() bases; .md and
 * .mdx), or say which flag they need; an Eleventy project's `content` stays
 * the default. The CLI in this process, the Piston test server as engine.
 */
import { describe, expect, it } from 'vitest'
import { fence, post, runMain, useServerAndProjects } from '../helpers/project.js'

const { server, project } = useServerAndProjects()
const env = () => ({ PISTON_URL: server().url })
const astroConfig = 'export default {}\n'
const mdx = (title: string, body: string) => `---\ntitle: ${title}\n---\n\nexport const answer = 42\n\nThe answer is {answer}.\n\n${body}`

describe('the CLI in an Astro project', () => {
  it('reads src/content and src/pages, .md and .mdx, with no flags', async () => {
    const p = await project({
      'astro.config.mjs': astroConfig,
      'src/content/blog/a.md': post('A', fence('python run', 'print("a")')),
      'src/content/blog/b.mdx': mdx('B', fence('bash run', 'echo b; exit 3')),
      'src/pages/c.md': post('C', fence('bash run', 'echo c')),
      'src/pages/index.astro': '<html></html>\n',
    })
    const run = await runMain(['check'], { cwd: p.dir, env: env() })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('src/content/blog/b.mdx:9:1: error  bash snippet exited with code 3 (expected exit code 0)  [snippet-failed]')
    expect(run.stderr).toContain('3 snippets: 2 passed, 1 failed')
    const runtimes = await runMain(['runtimes'], { cwd: p.dir, env: env() })
    expect(runtimes.stdout.trim().split('\n')).toEqual(['bash *', 'python *'])
  })

  it('reads an .mdx page as MDX does: fences beside JSX and indented inside it are fences, one in a {/* comment */} is not', async () => {
    const tabs = [
      "import { Tabs, TabItem } from '@astrojs/starlight/components'",
      '',
      '<Tabs>',
      '<TabItem label="A">',
      fence('python run', 'print(1 / 0)').trimEnd(),
      '</TabItem>',
      '<TabItem label="B">',
      `    ${fence('bash run', 'echo four; exit 4').trimEnd().replaceAll('\n', '\n    ')}`,
      '</TabItem>',
      '</Tabs>',
      '',
      '{/*',
      fence('bash run', 'exit 5').trimEnd(),
      '*/}',
      '',
    ].join('\n')
    const p = await project({ 'astro.config.mjs': astroConfig, 'src/content/docs/t.mdx': `---\ntitle: T\n---\n\n${tabs}` })
    const run = await runMain(['check'], { cwd: p.dir, env: env() })
    expect(run.code).toBe(1)
    expect(run.stderr.split('\n').filter((line) => line.startsWith('src/'))).toEqual([
      'src/content/docs/t.mdx:10:7: error  python snippet exited with code 1 (expected exit code 0)  [snippet-failed]',
      'src/content/docs/t.mdx:14:5: error  bash snippet exited with code 4 (expected exit code 0)  [snippet-failed]',
    ])
    expect(run.stderr).toContain('2 snippets: 0 passed, 2 failed')
    const runtimes = await runMain(['runtimes'], { cwd: p.dir, env: env() })
    expect(runtimes.stdout.trim().split('\n')).toEqual(['bash *', 'python *'])
    // A page MDX cannot read is an error at its place, and the others are still checked.
    await p.write('src/content/docs/u.mdx', `---\ntitle: U\n---\n\n<Aside>\n\n${fence('bash run', 'echo u')}`)
    const broken = await runMain(['check'], { cwd: p.dir, env: env() })
    expect(broken.stderr).toContain('src/content/docs/u.mdx:5:1: error  this page is not valid MDX: Expected a closing tag for `<Aside>` (5:1-5:8)  [mdx-syntax]')
    expect(broken.stderr).toContain('2 snippets: 0 passed, 2 failed')
  })

  it("reads the folders the content config's glob() loaders name, under a srcDir the Astro config sets", async () => {
    const p = await project({
      'astro.config.ts': "export default defineConfig({ srcDir: './site' })\n",
      'site/content.config.ts': "const blog = defineCollection({ loader: glob({ pattern: '**/*.{md,mdx}', base: './posts' }) })\n",
      'site/content/notes/n.md': post('N', fence('bash run', 'echo n')),
      'posts/p.mdx': mdx('P', fence('bash run', 'echo p')),
      'src/content/ignored.md': post('I', fence('bash run', 'exit 9')),
    })
    const run = await runMain(['check'], { cwd: p.dir, env: env() })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain('2 snippets: 2 passed')
  })

  it('reads .mdx too from a folder given with --content, and takes --content more than once', async () => {
    const p = await project({
      'src/content/a.md': post('A', fence('bash run', 'echo a')),
      'src/content/b.mdx': mdx('B', fence('bash run', 'echo b')),
      'notes/c.md': post('C', fence('bash run', 'echo c')),
    })
    const one = await runMain(['check', '--content', 'src/content'], { cwd: p.dir, env: env() })
    expect(one.stderr).toContain('2 snippets: 2 passed')
    const two = await runMain(['check', '--content', 'src/content', '--content', 'notes'], { cwd: p.dir, env: env() })
    expect(two.stderr).toContain('3 snippets: 3 passed')
  })

  it('names the flag it needs when an Astro project has neither folder; a project with content/ keeps it as the default', async () => {
    const empty = await project({ 'astro.config.mjs': astroConfig })
    const run = await runMain(['check'], { cwd: empty.dir, env: env() })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('this Astro project has neither src/content nor src/pages: name the folder of your posts with --content DIR')
    const eleventy = await project({ 'content/a.md': post('A', fence('bash run', 'echo a')), 'src/pages/b.md': post('B', fence('bash run', 'exit 9')) })
    const sample = await runMain(['check'], { cwd: eleventy.dir, env: env() })
    expect(sample.code, sample.stderr).toBe(0)
    expect(sample.stderr).toContain('1 snippet: 1 passed')
  })
})
