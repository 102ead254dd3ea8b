import { describe, expect, it } from 'vitest'
import { describeOutcome } from '../../src/render/outcome.js'
import { noticeView, outputView, type ViewNode } from '../../src/render/view.js'
import { snippetBlock, viewToHast } from '../../src/render/to-hast.js'
import { toHtml } from './html.js'
import { recording, response, stage } from './recordings.js'

/** A compact picture of a view: `tag.class.class[children]`. */
function sketch(node: ViewNode | string): unknown {
  if (typeof node === 'string') return node
  return { [[node.tag, ...node.classes].join('.')]: node.children.map(sketch) }
}

describe('outputView', () => {
  it('shows stdout and stderr apart, then the status', () => {
    expect(sketch(outputView(recording('bash-exit-42').response))).toEqual({
      'div.rb-result': [
        { 'pre.rb-stream.rb-stdout': [{ 'span.rb-label': ['stdout'] }, 'out\n'] },
        { 'pre.rb-stream.rb-stderr': [{ 'span.rb-label': ['stderr'] }, 'err\n'] },
        { 'p.rb-status.rb-status--exit': ['exited with code 42'] },
      ],
    })
  })

  it('shows nothing but the output of a clean run', () => {
    expect(sketch(outputView(response({ stdout: 'hi\n', output: 'hi\n' })))).toEqual({
      'div.rb-result': [{ 'pre.rb-stream.rb-stdout': [{ 'span.rb-label': ['stdout'] }, 'hi\n'] }],
    })
  })

  it('says "(no output)" only for a clean, silent run', () => {
    expect(sketch(outputView(response({})))).toEqual({ 'div.rb-result': [{ 'p.rb-empty': ['(no output)'] }] })
    expect(sketch(outputView(response({ code: 1 })))).toEqual({
      'div.rb-result': [{ 'p.rb-status.rb-status--exit': ['exited with code 1'] }],
    })
  })

  it('explains a kill with empty output', () => {
    const { response: r } = recording('python-output-cap-one-chunk')
    const view = outputView(r)
    expect(view.children).toHaveLength(1)
    expect(sketch(view.children[0]!)).toEqual({
      'p.rb-status.rb-status--output-limit': [
        "killed: the output most likely exceeded the server's limit of 1024 characters (the server does not say why)",
      ],
    })
  })

  it('passes the limits on to the status line', () => {
    const { response: r, runTimeout } = recording('python-run-timeout-1000')
    expect(sketch(outputView(r, describeOutcome(r, { timeoutMs: runTimeout })))).toEqual({
      'div.rb-result': [{ 'p.rb-status.rb-status--timeout': ['stopped after 1 s: the time limit'] }],
    })
  })

  it('labels compiler output and shows no run stage after a failed compile', () => {
    const error = "main.c:1: error: expected ';'\n"
    const compile = stage({ stderr: error, output: error, code: 1 })
    const r = response({ ...compile }, { language: 'c', compile })
    expect(sketch(outputView(r))).toEqual({
      'div.rb-result': [
        { 'pre.rb-stream.rb-compiler': [{ 'span.rb-label': ['compiler'] }, error] },
        { 'p.rb-status.rb-status--compile-error': ['compile error (exit code 1)'] },
      ],
    })
  })

  it('shows compiler warnings before the output of a run', () => {
    const warning = 'warning: unused variable\n'
    const r = response({ stdout: '5\n' }, { compile: stage({ stderr: warning, output: warning }) })
    expect(sketch(outputView(r))).toEqual({
      'div.rb-result': [
        { 'pre.rb-stream.rb-compiler': [{ 'span.rb-label': ['compiler'] }, warning] },
        { 'pre.rb-stream.rb-stdout': [{ 'span.rb-label': ['stdout'] }, '5\n'] },
      ],
    })
  })

  it('styles output with ANSI spans', () => {
    const view = outputView(response({ stdout: '\x1b[1;31mfail\x1b[0m ok' }))
    expect(sketch(view.children[0]!)).toEqual({
      'pre.rb-stream.rb-stdout': [{ 'span.rb-label': ['stdout'] }, { 'span.rb-bold.rb-fg-red': ['fail'] }, ' ok'],
    })
  })
})

describe('noticeView', () => {
  it('is a paragraph with its kind as a modifier class, in words of ours', () => {
    expect(noticeView('rate-limited', 'not run: rate limited, try again later')).toEqual({
      tag: 'p',
      classes: ['rb-notice', 'rb-notice--rate-limited'],
      children: ['not run: rate limited, try again later'],
      ours: true,
    })
  })
})

describe('viewToHast', () => {
  it('maps classes and text', () => {
    const node: ViewNode = {
      tag: 'div',
      classes: ['a', 'b'],
      children: ['text', { tag: 'span', classes: [], children: ['plain'] }],
    }
    expect(toHtml(viewToHast(node))).toBe('<div class="a b">text<span>plain</span></div>')
  })

  it('keeps a leading newline of a pre, which the HTML parser would drop', () => {
    const node: ViewNode = { tag: 'pre', classes: [], children: ['\nafter a blank line'] }
    expect(toHtml(viewToHast(node))).toBe('<pre>\n\nafter a blank line</pre>')
  })
})

describe('snippetBlock', () => {
  const code = 'print("hi")\n'

  it('builds the whole figure', () => {
    const block = snippetBlock({
      id: 'snippet-3',
      title: 'Hello',
      language: 'python',
      code,
      stdin: 'abc\n',
      response: response({ stdout: 'hi\n' }),
      runtime: 'python 3.11.2',
      live: { request: { language: 'python', version: '3', files: [] }, setup: 3, name: 'Hello & <b>', limits: { timeoutMs: 1000, compileTimeoutMs: 10000, outputMaxSize: 64 }, accepted: ['ok', 'exit'] },
    })
    expect(toHtml(block)).toBe(
      '<figure class="rb-snippet" data-rb-status="ok" id="snippet-3" data-rb-program="{&#x22;language&#x22;:&#x22;python&#x22;,&#x22;version&#x22;:&#x22;3&#x22;,&#x22;files&#x22;:[]}" data-rb-setup="3" data-rb-name="Hello &#x26; <b>"' +
        ' data-rb-limits="{&#x22;timeoutMs&#x22;:1000,&#x22;compileTimeoutMs&#x22;:10000,&#x22;outputMaxSize&#x22;:64}" data-rb-expect="ok exit">' +
        '<figcaption class="rb-title">Hello</figcaption>' +
        '<div class="rb-codebox"><pre class="rb-code"><code class="language-python">print("hi")\n</code></pre>' +
        '<button type="button" hidden class="rb-copy" aria-live="polite" data-pagefind-ignore="">Copy</button></div>' +
        '<pre class="rb-stream rb-stdin"><span class="rb-label" data-pagefind-ignore="">stdin</span>abc\n</pre>' +
        '<div class="rb-output" aria-live="polite" dir="ltr"><div class="rb-result">' +
        '<pre class="rb-stream rb-stdout"><span class="rb-label" data-pagefind-ignore="">stdout</span>hi\n</pre></div></div>' +
        '<div class="rb-footer" data-pagefind-ignore=""><p class="rb-runtime">ran at build time with python 3.11.2</p><div class="rb-actions">' +
        ['Run', 'Edit', 'Reset'].map((l) => `<button type="button" hidden aria-label="${l} Hello &#x26; <b>"${l === 'Edit' ? ' aria-pressed="false"' : ''}>${l}</button>`).join('') +
        '</div></div>' +
        '</figure>',
    )
  })

  it('leaves out what was not given', () => {
    expect(toHtml(snippetBlock({ language: 'sh', code: 'true', notice: { kind: 'skipped', text: 'not run: skipped by the author' } }))).toBe(
      '<figure class="rb-snippet" data-rb-status="skipped">' +
        '<div class="rb-codebox"><pre class="rb-code"><code class="language-sh">true</code></pre><button type="button" hidden class="rb-copy" aria-live="polite" data-pagefind-ignore="">Copy</button></div>' +
        '<div class="rb-output" aria-live="polite" dir="ltr"><p class="rb-notice rb-notice--skipped" data-pagefind-ignore="">not run: skipped by the author</p></div>' +
        '</figure>',
    )
  })

  it.each([
    [{ response: response({}) }, 'ok'],
    [{ response: response({ code: 1 }) }, 'failed'],
    [{ response: response({ code: 1 }), expectedFailure: true }, 'expected-failure'],
    [{ notice: { kind: 'skipped', text: 'skipped' } }, 'skipped'],
    [{ notice: { kind: 'not-run', text: 'not run: the engine was unreachable' } }, 'not-run'],
    [{}, 'not-run'],
  ])('data-rb-status for %j is %s', (input, status) => {
    expect(snippetBlock({ language: 'python', code, ...input }).properties.dataRbStatus).toBe(status)
  })

  it('uses the given outcome for the status line', () => {
    const { response: r, runTimeout } = recording('python-run-timeout-1000')
    const html = toHtml(snippetBlock({ language: 'python', code, response: r, outcome: describeOutcome(r, { timeoutMs: runTimeout }) }))
    expect(html).toContain('<p class="rb-status rb-status--timeout" data-pagefind-ignore="">stopped after 1 s: the time limit</p>')
  })
})
