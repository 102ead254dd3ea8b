import { describe, expect, it } from 'vitest'
import type { ExecuteResponse } from '../../src/execution/types.js'
import { snippetBlock } from '../../src/render/to-hast.js'
import { decodeEntities, inner, textContent, toHtml } from './html.js'
import { recording } from './recordings.js'

const HOSTILE = `<script>alert(1)</script> </pre> &amp; <img src=x onerror=alert(1)> "double" 'single' \u0000 \x1b[31mred\x1b[0m`
/** What the reader sees of HOSTILE: the same text, NUL as a control picture, ANSI applied. */
const SHOWN = `<script>alert(1)</script> </pre> &amp; <img src=x onerror=alert(1)> "double" 'single' ␀ red`

const response: ExecuteResponse = {
  language: 'python',
  version: '3.11.2',
  run: { stdout: HOSTILE, stderr: HOSTILE, output: HOSTILE + HOSTILE, code: 1, signal: null },
}
const program = { language: 'python', version: '*', files: [{ name: 'main.py', content: HOSTILE }], stdin: '&quot; \u2028 "' }

const html = toHtml(
  snippetBlock({
    id: 'snippet-1',
    title: HOSTILE,
    language: 'python',
    code: HOSTILE,
    stdin: HOSTILE,
    response,
    runtime: 'python 3.11.2',
    live: { request: program, setup: 7, name: HOSTILE, limits: { timeoutMs: 3000, compileTimeoutMs: 10000, outputMaxSize: 1024 }, accepted: ['ok'] },
  }),
)

describe('a block full of hostile text serialises inertly', () => {
  it('contains no tag from the text', () => {
    // Attribute values are data (the serializer escapes their quotes), so only the markup around them counts.
    const markup = html.replace(/="[^"]*"/g, '=""')
    expect(markup).not.toMatch(/<script/i)
    expect(markup).not.toMatch(/<img/i)
    // Only the block's own four `pre`s (code, stdin, stdout, stderr) open and close.
    expect(markup.match(/<pre[ >]/g)).toHaveLength(4)
    expect(markup.match(/<\/pre>/g)).toHaveLength(4)
  })

  it('contains no raw control characters', () => {
    expect(html).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/)
  })

  it('shows the exact escaped text in each place', () => {
    const escaped =
      '&#x3C;script>alert(1)&#x3C;/script> &#x3C;/pre> &#x26;amp; &#x3C;img src=x onerror=alert(1)> "double" \'single\' ␀ '
    expect(html).toContain(`<figcaption class="rb-title">${escaped}␛[31mred␛[0m</figcaption>`)
    expect(html).toContain(`<code class="language-python">${escaped}␛[31mred␛[0m</code>`)
    expect(html).toContain(
      `<pre class="rb-stream rb-stdout"><span class="rb-label" data-pagefind-ignore="">stdout</span>${escaped}<span class="rb-fg-red">red</span></pre>`,
    )
    expect(html).toContain(`<pre class="rb-stream rb-stderr"><span class="rb-label" data-pagefind-ignore="">stderr</span>${escaped}<span class="rb-fg-red">red</span></pre>`)
  })

  it('round-trips the text by decoding it again', () => {
    const visible = HOSTILE.replace('\u0000', '␀').replace(/\x1b/g, '␛')
    expect(decodeEntities(inner(html, '<figcaption class="rb-title">', 'figcaption'))).toBe(visible)
    expect(decodeEntities(inner(html, '<code class="language-python">', 'code'))).toBe(visible)
    const stdout = inner(html, '<pre class="rb-stream rb-stdout">', 'pre')
    expect(textContent(stdout)).toBe(`stdout${SHOWN}`)
    expect(textContent(inner(html, '<pre class="rb-stream rb-stderr">', 'pre'))).toBe(`stderr${SHOWN}`)
    expect(textContent(inner(html, '<pre class="rb-stream rb-stdin">', 'pre'))).toBe(`stdin${SHOWN}`)
  })

  it('carries the name for the live buttons in an attribute that reads back as shown', () => {
    const attribute = html.match(/ data-rb-name="([^"]*)"/)?.[1]
    expect(decodeEntities(attribute!)).toBe(HOSTILE.replace('\u0000', '␀').replace(/\x1b/g, '␛'))
  })

  it('carries the program in an attribute that JSON.parse reads back', () => {
    const attribute = html.match(/ data-rb-program="([^"]*)"/)?.[1]
    expect(attribute).toBeDefined()
    expect(attribute).not.toMatch(/[<>]/)
    expect(JSON.parse(decodeEntities(attribute!))).toEqual(program)
  })

  it('renders the real markup-and-ansi recording', () => {
    const block = toHtml(snippetBlock({ language: 'python', code: '', response: recording('python-markup-and-ansi').response }))
    expect(block).toContain(
      '<pre class="rb-stream rb-stdout"><span class="rb-label" data-pagefind-ignore="">stdout</span>&#x3C;script>alert(1)&#x3C;/script>\n' +
        '<span class="rb-fg-red">red</span> <span class="rb-bold rb-fg-green">bold-green</span>\n</pre>',
    )
    expect(block).toContain(
      '<pre class="rb-stream rb-stderr"><span class="rb-label" data-pagefind-ignore="">stderr</span><span class="rb-fg-yellow">&#x3C;b>warn&#x3C;/b></span>\n</pre>',
    )
    expect(block).not.toMatch(/<script|<b>/)
  })

  it('renders the real unicode-and-NUL and invalid UTF-8 recordings', () => {
    const nul = toHtml(snippetBlock({ language: 'js', code: '', response: recording('javascript-unicode-nul').response }))
    expect(nul).toContain('héllo ✓ 😀 &#x26; &#x3C; > ␀ end\n</pre>')
    const bytes = toHtml(snippetBlock({ language: 'bash', code: '', response: recording('bash-invalid-utf8').response }))
    expect(bytes).toContain('ok \ufffd\ufffd bytes\n</pre>')
  })
})
