/**
 * This repo's own blog, an Eleventy site built through the plugin as a
 * blogger's would be (eleventy.config.js, _includes/, _data/, public/).
 */
import { access, cp, mkdir, readdir, readFile, symlink } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { childOutput } from '../helpers/child.js'
import { eleventyBin } from '../helpers/eleventy.js'
import { makeProject, post, repoRoot } from '../helpers/project.js'
import { spawn } from 'node:child_process'
import sax from 'sax'
import { startPistonServer } from '../piston-server/index.js'

const exists = (path: string) => access(path).then(() => true, () => false)

/** `eleventy` in `cwd` with the compiled plugin, as `npm run build` runs it; never an engine. */
function build(cwd: string, args: string[] = [], extraEnv: NodeJS.ProcessEnv = {}) {
  const env = { ...process.env, RUNNABLE_FROZEN: '1', PISTON_URL: '', RUNNABLE_LIVE_ENDPOINT: '', GITHUB_ACTIONS: '', ...extraEnv }
  return childOutput(spawn(process.execPath, [eleventyBin, '--quiet', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }))
}

/** The blog's scaffolding around other posts, resolving its packages from this repo. */
async function blogWith(posts: Record<string, string>) {
  const p = await makeProject(posts)
  for (const part of ['eleventy.config.js', '_config', '_includes', '_data', 'public', 'content/content.11tydata.js', 'content/index.njk', 'content/feed.njk']) {
    await cp(join(repoRoot, part), join(p.dir, part), { recursive: true })
  }
  await mkdir(join(p.dir, 'node_modules/@11ty'), { recursive: true })
  await symlink(repoRoot, join(p.dir, 'node_modules/runnable-blog'))
  await symlink(join(repoRoot, 'node_modules/@11ty/eleventy'), join(p.dir, 'node_modules/@11ty/eleventy'))
  return p
}

/** Every path under `dir`, relative, with `/`. */
async function allPaths(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map((path) => path.split(sep).join('/'))
}

/** The index's post links, each resolved as a browser opening `dist/index.html` from disk would, to the file it opens. */
async function indexLinks(dist: string): Promise<Array<{ href: string; file: string }>> {
  const index = await readFile(join(dist, 'index.html'), 'utf8')
  const page = pathToFileURL(join(dist, 'index.html'))
  return [...index.matchAll(/<li><a href="([^"]+)">/g)].map(([, href]) => {
    const url = new URL(href!, page)
    return { href: href!, file: join(fileURLToPath(url), url.pathname.endsWith('/') ? 'index.html' : '') }
  })
}

describe('the sample blog', { timeout: 60_000 }, () => {
  it('builds offline from the committed cache, with links that work under any sub-path, a feed, a favicon and descriptions', async () => {
    const out = await makeProject({})
    const result = await build(repoRoot, [`--output=${out.dir}`])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/\[runnable-blog\] \d+ snippets: \d+ passed, 0 failed, \d+ skipped; \d+ programs: \d+ cached, 0 ran\n/)
    const posts = (await readdir(join(repoRoot, 'content'))).filter((f) => f.endsWith('.md')).map((f) => f.replace(/\.md$/, ''))
    for (const slug of posts) {
      const page = await readFile(join(out.dir, slug, 'index.html'), 'utf8')
      expect(page).toContain('<link rel="icon" href="../favicon.svg"')
      expect(page).toContain('<link rel="stylesheet" href="../style.css">')
      expect(page).toContain('<a href="../">')
      expect(page).toMatch(/<meta name="description" content="[^"]{20,}">/)
      expect(page).toMatch(/<link rel="stylesheet" href="\.\.\/assets\/runnable\.[0-9a-f]{10}\.css">/)
    }
    const index = await readFile(join(out.dir, 'index.html'), 'utf8')
    for (const slug of posts) expect(index).toContain(`href="./${slug}/"`)
    const feed = await readFile(join(out.dir, 'feed.xml'), 'utf8')
    expect(feed.match(/<entry>/g)).toHaveLength(posts.length)
    expect(feed).toContain('rb-snippet')
    expect(await exists(join(out.dir, 'favicon.svg'))).toBe(true)
    await out.remove()
  })

  it('refuses an impossible date at its line, and two sources of one page (a slug, an index.html), naming both', async () => {
    const bad = await blogWith({ 'content/a.md': '---\ntitle: A\ndate: 2026-13-45\n---\nText.\n' })
    const dated = await build(bad.dir)
    expect(dated.code).toBe(1)
    expect(dated.stderr).toContain('content/a.md:3:7: date must be a real day as YYYY-MM-DD, got "2026-13-45"')
    await bad.remove()

    for (const [other, page] of [
      [{ 'content/c.md': '---\ntitle: C\nslug: b\n---\nx\n' }, 'b/index.html'],
      [{ 'content/index.html': '<p>mine</p>' }, 'index.html'],
    ] as const) {
      const twins = await blogWith({ 'content/b.md': post('B', 'x'), ...other })
      const clash = await build(twins.dir)
      expect(clash.code, Object.keys(other)[0]).toBe(1)
      expect(clash.stderr).toContain(`Output conflict: multiple input files are writing to \`./dist/${page}\``)
      expect(clash.stderr).toContain(`./${Object.keys(other)[0]}`)
      await twins.remove()
    }
    // A name that slugs to nothing (the old generator put it over the index) gets a page of its own.
    const bang = await blogWith({ 'content/!!!.md': post('Bang', 'x') })
    expect((await build(bang.dir)).code).toBe(0)
    expect(await readFile(join(bang.dir, 'dist/!!!/index.html'), 'utf8')).toContain('Bang')
    expect(await readFile(join(bang.dir, 'dist/index.html'), 'utf8')).toContain('href="./!!!/"')
    await bang.remove()
  })

  it('publishes neither drafts nor dot paths at any depth, though the copy would take their extensions, and deletes nothing in its output folder', async () => {
    const p = await blogWith({
      'content/draft.md': '---\ntitle: D\ndate: 2026-01-02\ndraft: true\n---\nSecret.\n',
      'content/live.md': post('Live', 'Hello.'),
      'content/.env': 'TOKEN=x',
      'content/.git/config': '[core]',
      // Each of these has an extension the sample copies (json, txt, png) or renders (md).
      'content/.secret.json': '{"token": "x"}',
      'content/.private/notes.txt': 'private',
      'content/notes/.hidden.png': 'png',
      'content/.draft.md': post('Dot draft', 'Secret.'),
      'content/.drafts/post.md': post('Dot folder post', 'Secret.'),
      'public/.private/key.txt': 'key',
      'content/photo.png': 'png',
      'content/notes/diagram.svg': '<svg/>',
      'dist/mine.txt': 'not made by the build',
    })
    const result = await build(p.dir)
    expect(result.code, result.stderr).toBe(0)
    const dist = join(p.dir, 'dist')
    expect(await exists(join(dist, 'live/index.html'))).toBe(true)
    expect(await exists(join(dist, 'photo.png'))).toBe(true)
    expect(await exists(join(dist, 'notes/diagram.svg'))).toBe(true)
    expect(await exists(join(dist, 'draft/index.html'))).toBe(false)
    expect((await allPaths(dist)).filter((path) => path.split('/').some((part) => part.startsWith('.')))).toEqual([])
    for (const listing of [await readFile(join(dist, 'index.html'), 'utf8'), await readFile(join(dist, 'feed.xml'), 'utf8')]) {
      expect(listing).toContain('Live')
      expect(listing).not.toMatch(/Dot draft|Dot folder post|\.draft|\.drafts/)
    }
    // The build removes nothing it did not make.
    expect(await exists(join(dist, 'mine.txt'))).toBe(true)
    await p.remove()
  })

  it('refuses a symbolic link under content/ or public/, naming it, and publishes nothing it points to', async () => {
    for (const link of ['content/config.txt', 'public/notes/config.txt']) {
      const p = await blogWith({ 'content/live.md': post('Live', 'Hello.'), 'elsewhere/.env': 'TOKEN=secret' })
      await mkdir(join(p.dir, link, '..'), { recursive: true })
      await symlink(join(p.dir, 'elsewhere/.env'), join(p.dir, link))
      const result = await build(p.dir)
      expect(result.code, link).toBe(1)
      expect(result.stderr).toContain(`${link}: a symbolic link is never published (a server would follow it out of the project); put the file itself there`)
      const written = (await exists(join(p.dir, 'dist'))) ? await allPaths(join(p.dir, 'dist')) : []
      expect(written.filter((path) => path.endsWith('config.txt'))).toEqual([])
      await p.remove()
    }
  })

  it('leaves program output as printed, gives every file name a page its links reach, and reads only the front matter for the date', async () => {
    const p = await blogWith({
      // Prints an anchor with a root-relative href (the source never spells it whole) and an XML noncharacter.
      'content/output.md': post('Output', ['Read [about](/about/).', '', '```python run', "print('<a hr' + 'ef=\"/about\">x</a>')", "print('non' + chr(0xffff) + 'char')", '```', ''].join('\n')),
      'content/???.md': post('Questions', 'Q.', '2026-01-03'),
      'content/#.md': post('Hash', 'H.', '2026-01-04'),
      'content/100%.md': post('Percent', 'P.', '2026-01-05'),
      // No date in the front matter; one inside a code block is the post's text.
      'content/undated.md': '---\ntitle: Undated\n---\n\n```yaml\ndate: 2026-13-45\n```\n',
      'runnable-blog.config.json': JSON.stringify({ engine: 'local' }),
    })
    const result = await build(p.dir, ['--pathprefix=/blog/'], { RUNNABLE_FROZEN: '' })
    expect(result.code, result.stderr).toBe(0)
    const dist = join(p.dir, 'dist')

    const page = await readFile(join(dist, 'output/index.html'), 'utf8')
    expect(page).toContain('href="../about/"')
    expect(page).toContain('href="/about"')
    expect(page).not.toContain('href="../about"')
    const feed = await readFile(join(dist, 'feed.xml'), 'utf8')
    expect(feed).toContain('href=&quot;https://example.com/blog/about/&quot;')
    expect(feed).toContain('href=&quot;/about&quot;')
    expect(feed).not.toMatch(/[\ufffe\uffff]/)

    // Every post of the index opens its own page from disk, and the feed links to the same pages.
    const titles: Record<string, string> = { 'output': 'Output', '???': 'Questions', '#': 'Hash', '100%': 'Percent', 'undated': 'Undated' }
    const links = await indexLinks(dist)
    expect(links.map((l) => relative(dist, l.file).split(sep).join('/')).sort()).toEqual(Object.keys(titles).map((slug) => `${slug}/index.html`).sort())
    for (const { href, file } of links) expect(await readFile(file, 'utf8'), href).toContain(`<h1>${titles[relative(dist, file).split(sep)[0]!]}</h1>`)
    const entries = [...feed.matchAll(/<entry>\s*<title>[^<]*<\/title>\s*<link href="https:\/\/example\.com\/blog\/([^"]*)"\/>/g)].map(([, path]) => decodeURIComponent(path!))
    expect(entries.sort()).toEqual(Object.keys(titles).map((slug) => `${slug}/`).sort())
    await p.remove()
  })

  it('writes every other page, the index and the feed when one post has 30,000 unclosed tags', async () => {
    const p = await blogWith({ 'content/bad.md': post('Bad', '<a>'.repeat(30_000)), 'content/good.md': post('Good', 'Fine.') })
    const started = performance.now()
    const result = await build(p.dir)
    const seconds = (performance.now() - started) / 1000
    // The core may refuse such a post (an error naming it); the feed's and the links' rewriting must not take the site down.
    if (result.code !== 0) expect(result.stderr).toMatch(/content\/bad\.md/)
    expect(result.stderr).not.toMatch(/RangeError|Maximum call stack/)
    expect(await readFile(join(p.dir, 'dist/good/index.html'), 'utf8')).toContain('Fine.')
    expect(await readFile(join(p.dir, 'dist/index.html'), 'utf8')).toContain('href="./good/"')
    expect(await readFile(join(p.dir, 'dist/feed.xml'), 'utf8')).toContain('https://example.com/good/')
    expect(seconds).toBeLessThan(30)
    await p.remove()
  })

  it('keeps its feed well-formed XML whatever a program prints: noncharacters, bidi controls, lone surrogates', async () => {
    const server = await startPistonServer()
    // U+FFFE is in the code itself too, which the live runner's program attribute carries.
    const code = 'print("nonchar \\ufffe \\uffff bidi \\u202e end")  # \ufffe'
    const p = await blogWith({ 'content/odd.md': post('Odd output', '```python run title="Odd \ufffe"\n' + code + '\n```\n') })
    const env = { ...process.env, RUNNABLE_FROZEN: '', PISTON_URL: server.url, RUNNABLE_LIVE_ENDPOINT: 'https://run.example.com/api/v2', GITHUB_ACTIONS: '' }
    const result = await childOutput(spawn(process.execPath, [eleventyBin, '--quiet'], { cwd: p.dir, env, stdio: ['ignore', 'pipe', 'pipe'] }))
    await server.close()
    expect(result.code, result.stderr).toBe(0)
    const feed = await readFile(join(p.dir, 'dist/feed.xml'), 'utf8')
    // Shown by their code points (escaped twice: HTML inside XML), and not there as themselves.
    expect(feed).toContain('nonchar &amp;#x3C;U+FFFE&gt; &amp;#x3C;U+FFFF&gt; bidi &amp;#x3C;U+202E&gt; end')
    expect(feed).not.toMatch(/[\ufffe\uffff\u202e]/)
    const parser = sax.parser(true)
    const errors: string[] = []
    parser.onerror = (error) => {
      errors.push(error.message.split('\n')[0]!)
      parser.resume()
    }
    parser.write(feed).close()
    expect(errors).toEqual([])
    await p.remove()
  })
})
