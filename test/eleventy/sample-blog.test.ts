/**
 * This repo's own blog, an Eleventy site built through the plugin as a
 * blogger's would be (eleventy.config.js, _includes/, _data/, public/).
 */
import { access, cp, mkdir, readdir, readFile, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { childOutput } from '../helpers/child.js'
import { eleventyBin } from '../helpers/eleventy.js'
import { makeProject, post, repoRoot } from '../helpers/project.js'
import { spawn } from 'node:child_process'
import sax from 'sax'
import { startPistonServer } from '../piston-server/index.js'

const exists = (path: string) => access(path).then(() => true, () => false)

/** `eleventy` in `cwd` with the compiled plugin, as `npm run build` runs it; never an engine. */
function build(cwd: string, args: string[] = []) {
  const env = { ...process.env, RUNNABLE_FROZEN: '1', PISTON_URL: '', RUNNABLE_LIVE_ENDPOINT: '', GITHUB_ACTIONS: '' }
  return childOutput(spawn(process.execPath, [eleventyBin, '--quiet', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }))
}

/** The blog's scaffolding around other posts, resolving its packages from this repo. */
async function blogWith(posts: Record<string, string>) {
  const p = await makeProject(posts)
  for (const part of ['eleventy.config.js', '_includes', '_data', 'public', 'content/content.11tydata.js', 'content/index.njk']) {
    await cp(join(repoRoot, part), join(p.dir, part), { recursive: true })
  }
  await mkdir(join(p.dir, 'node_modules/@11ty'), { recursive: true })
  await symlink(repoRoot, join(p.dir, 'node_modules/runnable-blog'))
  for (const name of ['@11ty/eleventy', '@11ty/eleventy-plugin-rss']) await symlink(join(repoRoot, 'node_modules', name), join(p.dir, 'node_modules', name))
  return p
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

  it('publishes neither drafts nor dotfiles, and deletes nothing in its output folder', async () => {
    const p = await blogWith({
      'content/draft.md': '---\ntitle: D\ndate: 2026-01-02\ndraft: true\n---\nSecret.\n',
      'content/live.md': post('Live', 'Hello.'),
      'content/.env': 'TOKEN=x',
      'content/.git/config': '[core]',
      'content/photo.png': 'png',
      'dist/mine.txt': 'not made by the build',
    })
    const result = await build(p.dir)
    expect(result.code, result.stderr).toBe(0)
    expect(await exists(join(p.dir, 'dist/live/index.html'))).toBe(true)
    expect(await exists(join(p.dir, 'dist/photo.png'))).toBe(true)
    expect(await exists(join(p.dir, 'dist/draft/index.html'))).toBe(false)
    expect(await exists(join(p.dir, 'dist/.env'))).toBe(false)
    expect(await exists(join(p.dir, 'dist/.git'))).toBe(false)
    // The build removes nothing it did not make.
    expect(await exists(join(p.dir, 'dist/mine.txt'))).toBe(true)
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
