/** The sample blog's link rewriting (_config/links.js): tags only, never text, and linear. */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers/project.js'

const { rebaseLinks } = (await import(pathToFileURL(join(repoRoot, '_config/links.js')).href)) as { rebaseLinks: (html: string, base: string) => string }

describe("the sample blog's link rewriting", () => {
  it.each([
    ['a quoted href', '<a href="/about/">x</a>', '<a href="../about/">x</a>'],
    ['single quotes, any case, a src', "<IMG SRC='/i.png' alt=x>", "<IMG SRC='../i.png' alt=x>"],
    ['an unquoted value, spaces around =', '<img src = /i.png>', '<img src = ../i.png>'],
    ['a self-closing tag', '<img src="/i.png"/>', '<img src="../i.png"/>'],
    ['the script tag itself', '<script src="/s.js"></script>', '<script src="../s.js"></script>'],
  ])('rebases %s', (_name, html, rebased) => {
    expect(rebaseLinks(html, '../')).toBe(rebased)
  })

  it.each([
    ['program output in a block', '<pre><code>&#x3C;a href="/about">x&#x3C;/a>\n src="/x"</code></pre>'],
    ['a value inside another attribute', `<a title='see href="/x"' data-x="&quot; src=&quot;/y">t</a>`],
    ['a protocol-relative or absolute URL, a relative one, a fragment', '<a href="//cdn.example/x"><a href="https://e.com/"><a href="x/"><a href="#top">'],
    ['a comment', '<!-- <a href="/x"> -->'],
    ['the body of a script or style', '<script>const a = \'<a href="/x">\'</script><style>a[href="/x"]{}</style>'],
    ['another attribute that starts with /', '<a data-href="/x" title="/y">'],
  ])('leaves alone %s', (_name, html) => {
    expect(rebaseLinks(html, '../')).toBe(html)
  })

  it('stays linear on unclosed and malformed markup', () => {
    for (const html of ['<a>'.repeat(30_000), '<a'.repeat(100_000), '<a x="'.repeat(50_000), '<!--'.repeat(50_000), '<script>'.repeat(20_000), `<a ${'x '.repeat(100_000)}`]) {
      const started = performance.now()
      expect(rebaseLinks(html, '../')).toBe(html)
      expect(performance.now() - started).toBeLessThan(1000)
    }
  })
})
