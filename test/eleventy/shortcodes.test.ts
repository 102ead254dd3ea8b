/**
 * The `codeRunner` paired shortcode in real Eleventy builds: every call is a
 * record of its own, reported where it is written (a partial's own file and
 * line), in any template language, against the Piston-protocol test server.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { eleventyConfig, runEleventy } from '../helpers/eleventy.js'
import { fence, useServerAndProjects } from '../helpers/project.js'

const { server: testServer, project } = useServerAndProjects()
const call = (args: string, body: string) => `{% codeRunner ${args} %}\n${body}\n{% endcodeRunner %}`
const build = (dir: string) => runEleventy(dir, [], { PISTON_URL: testServer().url })
const page = (dir: string, path: string) => readFile(join(dir, 'dist', path), 'utf8')
/** The reported problems, `file:line:column: error  reason`, one a line. */
const errors = (stderr: string) => stderr.split('\n').filter((line) => / error {2}/.test(line)).map((line) => line.replace(/ {2}\[[\w-]+\]$/, ''))

describe('the codeRunner shortcode', { timeout: 120_000 }, () => {
  it('counts the same body twice as two records, each failure at its own line', async () => {
    const p = await project({
      ...eleventyConfig(),
      // Calls at lines 5 and 8: python fails on `true` (its traceback names the body's line), bash passes; at 11 and 14, the same failing call twice.
      'content/twice.njk': [
        '---',
        'title: Twice',
        '---',
        '<p>Four calls.</p>',
        call('"Same", "python"', 'true'),
        call('"Same", "bash"', 'true'),
        call('"Again", "python"', 'true'),
        call('"Again", "python"', 'true'),
        // The body on the opening tag's line: the traceback's line is the tag's.
        '{% codeRunner "Inline", "python" %}true{% endcodeRunner %}',
        '',
      ].join('\n'),
    })
    const run = await build(p.dir)
    expect(run.code).toBe(1)
    expect(errors(run.stderr)).toEqual([
      'content/twice.njk:6:1: error  python snippet "Same" exited with code 1 (expected exit code 0)',
      'content/twice.njk:12:1: error  python snippet "Again" exited with code 1 (expected exit code 0)',
      'content/twice.njk:15:1: error  python snippet "Again" exited with code 1 (expected exit code 0)',
      'content/twice.njk:17:1: error  python snippet "Inline" exited with code 1 (expected exit code 0)',
    ])
    expect(run.stderr).toContain('[runnable-blog] 5 snippets: 1 passed, 4 failed, 0 skipped; 2 programs: 0 cached, 2 ran (4 errors')
    expect((await page(p.dir, 'twice/index.html')).match(/data-rb-status="failed"/g)).toHaveLength(4)
  })

  it('counts a partial included twice, and by two posts, once a call, reporting it at the partial’s own line', async () => {
    const partial = ['<aside>', '{# a comment', 'over two lines #}', call('"Partial", "python"', 'print("in the partial")\nraise SystemExit(5)'), '</aside>', ''].join('\n')
    const p = await project({
      ...eleventyConfig(),
      'content/_includes/snippet.njk': partial,
      'content/a.njk': '---\ntitle: A\n---\n{% include "snippet.njk" %}\n<p>between</p>\n{% include "snippet.njk" %}\n',
      // In a Markdown post, after an include and other lines: its own call stays at its own line.
      'content/b.md': `---\ntitle: B\ntemplateEngineOverride: njk,md\n---\n\n{% include "snippet.njk" %}\n\nText.\n\n${call('"Own", "bash"', 'echo own\nexit 2')}\n`,
    })
    const run = await build(p.dir)
    expect(run.code).toBe(1)
    expect(errors(run.stderr)).toEqual([
      'content/_includes/snippet.njk:4:1: error  python snippet "Partial" exited with code 5 (expected exit code 0)',
      'content/_includes/snippet.njk:4:1: error  python snippet "Partial" exited with code 5 (expected exit code 0)',
      'content/_includes/snippet.njk:4:1: error  python snippet "Partial" exited with code 5 (expected exit code 0)',
      'content/b.md:10:1: error  bash snippet "Own" exited with code 2 (expected exit code 0)',
    ])
    expect(run.stderr).toContain('[runnable-blog] 4 snippets: 0 passed, 4 failed, 0 skipped; 2 programs')
    expect((await page(p.dir, 'a/index.html')).match(/data-rb-status="failed"/g)).toHaveLength(2)
    const b = await page(p.dir, 'b/index.html')
    expect(b.match(/data-rb-status="failed"/g)).toHaveLength(2)
    expect(b).not.toContain('rb-block:')
  })

  it('renders a call right after an HTML line in a Markdown page as its block, run and counted', async () => {
    const p = await project({
      ...eleventyConfig(),
      'content/html.md': `---\ntitle: HTML\n---\n\n<div class="note">\n${call('"After HTML", "python"', 'print("after " + "html")')}\n</div>\n`,
    })
    const run = await build(p.dir)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain('[runnable-blog] 1 snippet: 1 passed')
    const html = await page(p.dir, 'html/index.html')
    expect(html).toMatch(/<div class="note">\s*<figure class="rb-snippet[^"]*"[^>]*data-rb-status="ok"/)
    expect(html).toContain('after html')
    expect(html).not.toContain('```')
    expect(html).not.toContain('rb-block:')
  })

  it('reports a failing call in .liquid, .njk and .md pages at its line', async () => {
    const failing = (name: string) => call(`"${name}", "python"`, `print("${name}")\nraise SystemExit(3)`)
    const p = await project({
      ...eleventyConfig(),
      'content/a.liquid': `---\ntitle: Liquid\n---\n{% comment %}\ntwo\nlines\n{% endcomment %}\n${failing('liquid')}\n`,
      'content/b.njk': `---\ntitle: Nunjucks\n---\n{# a\nmulti-line\ncomment #}\n{% set x = 1 %}\n${failing('njk')}\n`,
      'content/c.md': `---\ntitle: Markdown\n---\n\n{% comment %}\nhidden\n{% endcomment %}\nProse.\n\n${failing('md')}\n`,
    })
    const run = await build(p.dir)
    expect(run.code).toBe(1)
    expect(errors(run.stderr)).toEqual([
      'content/a.liquid:8:1: error  python snippet "liquid" exited with code 3 (expected exit code 0)',
      'content/b.njk:8:1: error  python snippet "njk" exited with code 3 (expected exit code 0)',
      'content/c.md:10:1: error  python snippet "md" exited with code 3 (expected exit code 0)',
    ])
    for (const path of ['a/index.html', 'b/index.html', 'c/index.html']) expect(await page(p.dir, path)).toContain('data-rb-status="failed"')
  })

  it('runs a call in a layout of Markdown pages and in an .html page, each page a record, at the layout’s line', async () => {
    const p = await project({
      ...eleventyConfig(),
      'content/_includes/with-snippet.njk': `<!doctype html>\n<html><head><title>{{ title }}</title></head>\n<body>\n{{ content | safe }}\n${call('"Layout", "python"', 'print("from the layout")\nraise SystemExit(7)')}\n</body></html>\n`,
      'content/one.md': '---\ntitle: One\nlayout: with-snippet.njk\n---\n\nFirst.\n',
      'content/two.md': '---\ntitle: Two\nlayout: with-snippet.njk\n---\n\nSecond.\n',
      'content/page.html': `---\ntitle: HTML\n---\n<main>\n${call('"In HTML", "bash"', 'echo "<b>from html</b>"')}\n</main>\n`,
    })
    const run = await build(p.dir)
    expect(run.code).toBe(1)
    expect(errors(run.stderr)).toEqual([
      'content/_includes/with-snippet.njk:5:1: error  python snippet "Layout" exited with code 7 (expected exit code 0)',
      'content/_includes/with-snippet.njk:5:1: error  python snippet "Layout" exited with code 7 (expected exit code 0)',
    ])
    expect(run.stderr).toContain('[runnable-blog] 3 snippets: 1 passed, 2 failed')
    for (const path of ['one/index.html', 'two/index.html']) {
      const html = await page(p.dir, path)
      expect(html).toContain('from the layout')
      expect(html).not.toContain('rb-block:')
    }
    expect(await page(p.dir, 'page/index.html')).toContain('&#x3C;b>from html&#x3C;/b>')
  })

  it('reports a failing fence at its line after a multi-line comment or an include', async () => {
    const failing = fence('python run title="After"', 'print(1)\nraise SystemExit(6)')
    const p = await project({
      ...eleventyConfig(),
      'content/_includes/three.njk': '<p>one</p>\n<p>two</p>\n<p>three</p>\n',
      // Liquid (Eleventy's default for Markdown) removes the comment's four lines.
      'content/liquid.md': `---\ntitle: Liquid\n---\n\n{% comment %}\ntwo\nlines\n{% endcomment %}\n\n${failing}`,
      // Nunjucks removes a comment's three lines, and the include puts three in the place of one.
      'content/njk.md': `---\ntitle: Njk\ntemplateEngineOverride: njk,md\n---\n\n{# a\nmulti-line\ncomment #}\n\n{% include "three.njk" %}\n\n${failing}`,
    })
    const run = await build(p.dir)
    expect(run.code).toBe(1)
    expect(errors(run.stderr)).toEqual([
      'content/liquid.md:10:1: error  python snippet "After" exited with code 6 (expected exit code 0)',
      'content/njk.md:12:1: error  python snippet "After" exited with code 6 (expected exit code 0)',
    ])
  })

  it('names the file alone where a call’s line cannot be known', async () => {
    // A loop's call with a body the template computes, and a call outside it: `raise SystemExit(2)` can only be
    // the loop's, but `raise SystemExit(1)` may be either.
    const p = await project({
      ...eleventyConfig(),
      'content/loop.njk': `---\ntitle: Loop\n---\n{% for n in [1, 2] %}\n{% codeRunner "Loop", "python" %}\nraise SystemExit({{ n }})\n{% endcodeRunner %}\n{% endfor %}\n${call('"Loop", "python"', 'raise SystemExit(1)')}\n`,
    })
    const run = await build(p.dir)
    expect(run.code).toBe(1)
    expect(errors(run.stderr).sort()).toEqual([
      'content/loop.njk: error  python snippet "Loop" exited with code 1 (expected exit code 0) (line unknown: rendered from a template)',
      'content/loop.njk: error  python snippet "Loop" exited with code 1 (expected exit code 0) (line unknown: rendered from a template)',
      'content/loop.njk:5:1: error  python snippet "Loop" exited with code 2 (expected exit code 0)',
    ])
  })

  it('checks the arguments like fence options: each wrong one is an error at its place, naming it', async () => {
    const p = await project({
      ...eleventyConfig(),
      'content/args.njk': [
        '---',
        'title: Arguments',
        '---',
        call('"Yes", "python", "yes"', 'print(1)'),
        call('"False", "python", "false"', 'print(2)'),
        call('"No language"', 'print(3)'),
        call('"Extra", "python", true, "more"', 'print(4)'),
        '',
      ].join('\n'),
    })
    const before = testServer().executions
    const run = await build(p.dir)
    expect(run.code).toBe(1)
    expect(errors(run.stderr)).toEqual([
      `content/args.njk:4:32: error  the shortcode's third argument, run, must be true or false, got "yes"`,
      `content/args.njk:7:34: error  the shortcode's third argument, run, must be true or false, got "false" (a string: write false without quotes)`,
      `content/args.njk:10:1: error  the shortcode's second argument, the language, is missing: {% codeRunner "Title", "python" %}`,
      `content/args.njk:13:40: error  the shortcode takes 3 arguments (title, language, run); the fourth, "more", is one too many`,
    ])
    expect(testServer().executions - before).toBe(0)
    const html = await page(p.dir, 'args/index.html')
    expect(html.match(/data-rb-status="not-run"/g)).toHaveLength(4)
    expect(html).toContain(`not run: the shortcode's third argument, run, must be true or false, got "yes"`)
  })
})
