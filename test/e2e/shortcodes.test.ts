/**
 * The CLI sees the Eleventy shortcode's snippets the site's build runs: in
 * Markdown posts, templates and partials, at their lines; and `update
 * --prune` never deletes what a build of the site uses.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { eleventyConfig, runEleventy } from '../helpers/eleventy.js'
import { runMain, useServerAndProjects } from '../helpers/project.js'

const { server: testServer, project } = useServerAndProjects()
const call = (args: string, body: string) => `{% codeRunner ${args} %}\n${body}\n{% endcodeRunner %}`

/** An Eleventy site whose partials and layouts are in `_includes/` beside `content/`, as this repo's sample blog has them. */
function site(files: Record<string, string>): Record<string, string> {
  const config = eleventyConfig()
  return {
    'eleventy.config.js': config['eleventy.config.js']!.replace("output: 'dist'", "output: 'dist', includes: '../_includes'"),
    '_includes/base.njk': config['content/_includes/base.njk']!,
    'content/content.json': config['content/content.json']!,
    ...files,
  }
}

describe('the CLI on a site whose snippets are shortcodes', { timeout: 180_000 }, () => {
  it('checks every call in posts and partials at its line, and lists their languages', async () => {
    const p = await project(
      site({
        'content/post.md': `---\ntitle: Post\n---\n\n{% include "partial.njk" %}\n\n${call('"Broken", "python"', 'print(1/0)')}\n`,
        '_includes/partial.njk': `<aside>\n${call('"Partial", "bash"', 'echo partial\nexit 4')}\n</aside>\n`,
        'content/page.liquid': `---\ntitle: Liquid\n---\n${call('"Fine", "sqlite3", true', 'SELECT 1;')}\n{% raw %}${call('"Not a call", "ruby"', 'puts 1')}{% endraw %}\n`,
      }),
    )
    const env = { PISTON_URL: testServer().url }
    const checked = await runMain(['check'], { cwd: p.dir, env })
    expect(checked.code).toBe(1)
    expect(checked.stderr).toContain('_includes/partial.njk:2:1: error  bash snippet "Partial" exited with code 4 (expected exit code 0)')
    // Python's traceback names the body's line.
    expect(checked.stderr).toContain('content/post.md:8:7: error  python snippet "Broken" exited with code 1 (expected exit code 0)')
    expect(checked.stderr).toContain('3 snippets: 1 passed, 2 failed, 0 skipped; 3 programs: 0 cached, 3 ran (2 errors)')
    const runtimes = await runMain(['runtimes', '--json'], { cwd: p.dir, env })
    expect((JSON.parse(runtimes.stdout) as Array<{ language: string }>).map((r) => r.language)).toEqual(['bash', 'python', 'sqlite3'])
  })

  it('prunes only what no build uses: after update --prune, a frozen Eleventy build passes', async () => {
    // Every snippet is a shortcode, in Markdown posts and in a partial outside the content folder.
    const p = await project(
      site({
        'content/post.md': `---\ntitle: Post\n---\n\n${call('"In a post", "python"', 'print("post")')}\n\n{% include "partial.njk" %}\n`,
        'content/page.md': `---\ntitle: Page\ntemplateEngineOverride: njk,md\n---\n\n{% include "partial.njk" %}\n\n${call('"In a page", "bash"', 'echo page')}\n`,
        '_includes/partial.njk': `${call('"In a partial", "python"', 'print("partial")')}\n`,
        'content/old.md': `---\ntitle: Old\n---\n\n${call('"Gone soon", "bash"', 'echo old')}\n`,
      }),
    )
    const env = { PISTON_URL: testServer().url }
    const built = await runEleventy(p.dir, [], env)
    expect(built.code, built.stderr).toBe(0)
    expect(await readdir(join(p.dir, 'cache'))).toHaveLength(4)
    await p.write('content/old.md', '---\ntitle: Old\n---\n\nNo code any more.\n')
    const pruned = await runMain(['update', '--prune'], { cwd: p.dir, env })
    expect(pruned.code, pruned.stderr).toBe(0)
    expect(pruned.stderr).toContain('removed 1 unused cache entry')
    expect(await readdir(join(p.dir, 'cache'))).toHaveLength(3)
    const requests = testServer().requests.length
    const frozen = await runEleventy(p.dir, [], { ...env, RUNNABLE_FROZEN: '1' })
    expect(frozen.code, frozen.stderr).toBe(0)
    expect(frozen.stderr).toContain('4 snippets: 4 passed, 0 failed, 0 skipped; 3 programs: 3 cached, 0 ran')
    expect(testServer().requests.length).toBe(requests)
  })

  it('refuses to prune while a call it cannot account for may use an entry, and lists each place', async () => {
    const p = await project({
      'content/post.md': `---\ntitle: Post\n---\n\n${call('"Known", "bash"', 'echo known')}\n`,
      // A body the template computes; a renamed shortcode (the plugin's `shortcode` option); a JavaScript template.
      'content/_includes/computed.njk': `${call('"Computed", "bash"', 'echo {{ page.url }}')}\n`,
      'content/renamed.njk': '---\ntitle: R\n---\n\n{% runIt "Renamed", "bash" %}\necho renamed\n{% endrunIt %}\n',
      'content/script.11ty.js': 'export default function () { return this.codeRunner("echo js", "Script", "bash") }\n',
    })
    const env = { PISTON_URL: testServer().url }
    const updated = await runMain(['update'], { cwd: p.dir, env })
    expect(updated.code).toBe(0)
    // A check says so too, not only a prune: passing, it has not seen these.
    expect(updated.stderr).toContain("3 places only your site generator's build can check:\n  content/script.11ty.js: a JavaScript template")
    await p.write('cache/0000000000000000000000000000000000000000000000000000000000000000.json', '{}')
    const guarded = await runMain(['update', '--prune'], { cwd: p.dir, env })
    expect(guarded.code).toBe(0)
    expect(guarded.stderr).toContain('1 cache entry no snippet uses (not pruned: your site generator may run snippets check cannot see)')
    expect(guarded.stderr).toContain('  content/_includes/computed.njk:1: a codeRunner call whose arguments or body hold template syntax')
    expect(guarded.stderr).toContain('  content/renamed.njk:5: a paired tag {% runIt %} that check does not know (a renamed or wrapping shortcode may run snippets there)')
    expect(guarded.stderr).toContain('  content/script.11ty.js: a JavaScript template that names codeRunner')
    expect(await readdir(join(p.dir, 'cache'))).toHaveLength(2)
  })

  it("knows the site's bundles ({% css %}, as eleventy-base-blog declares them): a page using one still prunes", async () => {
    const files = site({ 'content/post.md': `---\ntitle: Post\n---\n\n${call('"Known", "bash"', 'echo known')}\n` })
    files['eleventy.config.js'] = files['eleventy.config.js']!.replace('return {', 'eleventyConfig.addBundle("css")\n  return {')
    files['_includes/base.njk'] = files['_includes/base.njk']!.replace('</title>', '</title><style>{% getBundle "css" %}</style>')
    files['content/post.md'] += '\n{% css %}.post { color: teal }{% endcss %}\n'
    const p = await project(files)
    const env = { PISTON_URL: testServer().url }
    // The site builds: the bundle is Eleventy's, and its CSS reaches the page.
    const built = await runEleventy(p.dir, [], env)
    expect(built.code, built.stderr).toBe(0)
    expect(await readFile(join(p.dir, 'dist/post/index.html'), 'utf8')).toContain('<style>.post { color: teal }</style>')
    await p.write('cache/0000000000000000000000000000000000000000000000000000000000000000.json', '{}')
    const pruned = await runMain(['update', '--prune'], { cwd: p.dir, env })
    expect(pruned.code, pruned.stderr).toBe(0)
    expect(pruned.stderr).not.toContain('only your site generator')
    expect(pruned.stderr).toContain('removed 1 unused cache entry')
    expect(await readdir(join(p.dir, 'cache'))).toHaveLength(1)
  })
})
