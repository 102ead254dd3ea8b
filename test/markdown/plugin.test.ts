import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Code, Root } from 'mdast'
import { toString } from 'mdast-util-to-string'
import rehypeStringify from 'rehype-stringify'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'
import { VFile } from 'vfile'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createLocalEngine } from '../../src/execution/local-engine.js'
import { createPistonEngine } from '../../src/execution/piston-client.js'
import rehypeRunnable from '../../src/hast/plugin.js'
import remarkRunnable from '../../src/markdown/plugin.js'
import rehypeHighlightFences from '../../src/render/rehype-highlight.js'
import { startPistonServer, type PistonServer } from '../piston-server/index.js'

let server: PistonServer
let cacheDir: string
beforeAll(async () => {
  server = await startPistonServer()
  cacheDir = await mkdtemp(join(tmpdir(), 'rb-plugin-'))
})
afterAll(async () => {
  await server.close()
  await rm(cacheDir, { recursive: true, force: true })
})

describe('a fence with errors', () => {
  it('says each of them in its block, not only the first, and so does a fence of ours that is not run', async () => {
    const processor = unified()
      .use(remarkParse)
      .use(remarkRunnable, { engine: createPistonEngine({ url: server.url }), cacheDir })
      .use(remarkRehype)
      .use(rehypeStringify)
    const markdown = ['```python run exit=300 timeout=soon', 'print(1)', '```', '', '```python id=9bad', 'x = 1', '```', ''].join('\n')
    const file = await processor.process(new VFile({ path: 'post.md', value: markdown }))
    const html = String(file)
    const notices = [...html.matchAll(/<p class="rb-notice rb-notice--([a-z-]+)"[^>]*>([^<]*)<\/p>/g)].map((m) => [m[1], m[2]])
    expect(notices).toEqual([
      ['not-run', 'not run: 2 errors in the fence'],
      ['invalid', expect.stringMatching(/^✗ exit must be 0\.\.255/)],
      ['invalid', expect.stringMatching(/^✗ timeout must be a positive whole number/)],
      ['invalid', expect.stringMatching(/^✗ id must be a letter followed by/)],
    ])
    expect(file.messages.filter((m) => m.fatal).map((m) => m.reason)).toEqual(notices.slice(1).map(([, text]) => text!.slice('✗ '.length)))
    // The id fence is shown as written, flagged as failed.
    expect(html).toMatch(/<figure class="rb-snippet" data-rb-status="failed"><div class="rb-codebox"><pre class="rb-code[^"]*"[^>]*>(<!--[^>]*-->)?<code class="language-python no-highlight">/)
  })
})

describe('remarkRunnable in a plain unified pipeline', () => {
  it('runs fences, leaves untagged ones as plain Markdown renders them, and reports as vfile messages', async () => {
    const engine = createPistonEngine({ url: server.url })
    const processor = unified()
      .use(remarkParse)
      .use(remarkRunnable, { engine, cacheDir })
      .use(remarkRehype)
      .use(rehypeStringify)
    const markdown = [
      '# Title',
      '',
      '```python run title="Sum"',
      'print(sum(range(5)))',
      '```',
      '',
      '```python {1,3} title="not ours"',
      'print("untouched")',
      '```',
      '',
      '```cobol run',
      'DISPLAY "x".',
      '```',
      '',
      '```pyton run',
      'print(1)',
      '```',
      '',
    ].join('\n')
    const file = await processor.process(new VFile({ path: 'post.md', value: markdown }))
    const html = String(file)
    expect(html).toContain('<figcaption class="rb-title">Sum</figcaption>')
    expect(html).toMatch(/class="rb-stream rb-stdout">.*10\n<\/pre>/s)
    expect(html).toContain('<pre><code class="language-python">print("untouched")\n</code></pre>')
    const [message, typo] = file.messages
    expect(typo!.reason).toContain('did you mean "python"?')
    expect(message).toMatchObject({ ruleId: 'unknown-runtime', source: 'runnable-blog', fatal: true, line: 11, column: 1 })
    expect(message!.reason).toMatch(/^cobol snippet could not run: unknown language "cobol"\. Installed languages: bash, .*python, sqlite3$/)
    expect(file.data.snippets?.map((s) => s.status)).toEqual(['passed', 'failed', 'failed'])
    expect(await readdir(cacheDir)).toHaveLength(1)
    await engine.close()
  })

  it('refuses to start without an engine or a runner, or with a limit that is not a positive whole number', () => {
    expect(() => unified().use(remarkParse).use(remarkRunnable, {}).freeze()).toThrow('remarkRunnable: needs a `runner` or an `engine`: createLocalEngine() or createPistonEngine({ url })')
    const engine = createPistonEngine({ url: server.url })
    expect(() => unified().use(remarkParse).use(remarkRunnable, { engine, limits: { timeoutMs: 0 } }).freeze()).toThrow(
      'limits.timeoutMs must be a positive whole number, got 0',
    )
    expect(() => unified().use(remarkParse).use(remarkRunnable, { engine, limits: { outputMaxSize: 1.5 } }).freeze()).toThrow(
      'limits.outputMaxSize must be a positive whole number, got 1.5',
    )
    // Node's timers overflow past 2^31 - 1 ms and fire after 1 ms: every snippet would be "stopped after 2147483.65 s".
    expect(() => unified().use(remarkParse).use(remarkRunnable, { engine, limits: { compileTimeoutMs: 2 ** 31 } }).freeze()).toThrow(
      "limits.compileTimeoutMs must be at most 2147483647 ms (about 24 days), the longest wait Node's timers can hold, got 2147483648",
    )
  })
})

describe('the plugin options', () => {
  const processor = (options: object) => unified().use(remarkParse).use(remarkRunnable, options as never).use(remarkRehype).use(rehypeStringify)

  it('fail on entry when misspelt, of the wrong kind, or with an engine given by name, saying what to write', async () => {
    const engine = createPistonEngine({ url: server.url })
    try {
      expect(() => processor({ engine, concurency: 2 }).freeze()).toThrow('remarkRunnable: unknown option "concurency", did you mean "concurrency"?')
      expect(() => processor({ engine: 'local' }).freeze()).toThrow('remarkRunnable: engine must be an engine object: createLocalEngine() or createPistonEngine({ url }), got "local" (the site plugins and the CLI take "local" or "piston")')
      expect(() => processor({ engine: createLocalEngine }).freeze()).toThrow('remarkRunnable: engine must be an engine object: call it, createLocalEngine()')
      expect(() => processor({ engine, frozen: 'false' }).freeze()).toThrow('remarkRunnable: frozen must be true or false, got "false"')
      expect(() => processor({ engine, cacheDir: '' }).freeze()).toThrow('remarkRunnable: cacheDir must be a folder\'s path, got ""')
      expect(() => unified().use(rehypeRunnable, { engin: engine } as never).freeze()).toThrow('rehypeRunnable: unknown option "engin", did you mean "engine"?')
    } finally {
      await engine.close()
    }
  })

  it('are frozen under RUNNABLE_FROZEN=1, as the site plugins and the CLI are: no engine is asked', async () => {
    const before = server.executions
    const empty = await mkdtemp(join(tmpdir(), 'rb-frozen-'))
    const engine = createPistonEngine({ url: server.url })
    vi.stubEnv('RUNNABLE_FROZEN', '1')
    try {
      const file = await processor({ engine, cacheDir: empty }).process(new VFile({ path: 'post.md', value: '```python run\nprint("not run")\n```\n' }))
      expect(file.messages.map((m) => m.ruleId)).toEqual(['missing-result'])
      expect(await readdir(empty)).toEqual([])
      expect(server.executions).toBe(before)
    } finally {
      vi.unstubAllEnvs()
      await engine.close()
      await rm(empty, { recursive: true, force: true })
    }
  })
})

describe('highlighting', () => {
  const markdown = '```python run file=app.py files=u.py {2}\nimport u\nprint(u.x)\n```\n\n```python file=u.py\nx = 1\n```\n\n```python {2}\nkept = "as is"\n```\n'
  const render = async (highlight?: false | { light: string; dark: string }) => {
    const engine = createPistonEngine({ url: server.url })
    const file = await unified()
      .use(remarkParse)
      .use(remarkRunnable, { engine, cacheDir, highlight })
      .use(remarkRehype)
      .use(rehypeStringify)
      .process(new VFile({ path: 'post.md', value: markdown }))
    await engine.close()
    expect(file.messages).toEqual([])
    return String(file)
  }

  it('colours blocks and extra files with classes, marks them for host highlighters, names the files, and leaves other fences alone', async () => {
    const html = await render()
    expect(html).toContain('<p class="rb-filename">app.py</p><pre class="rb-code rb-hl" data-rb-highlighted=""><!--runnable-blog--><code class="language-python no-highlight"><span class="rb-line"><span class="rb-l5 rb-d5">import</span> u</span>\n<span class="rb-line rb-mark">')
    expect(html).toContain('<figure class="rb-snippet rb-file"><div class="rb-codebox"><p class="rb-filename">u.py</p><pre class="rb-code rb-hl" data-rb-highlighted="">')
    expect(html).toContain('<pre><code class="language-python">kept = "as is"\n</code></pre>')
    expect(html).not.toContain('style=')
  })

  it('marks {2-4} lines on every fence it highlights: extra files, stdin fences, and ordinary fences through rehypeHighlightFences', async () => {
    const engine = createPistonEngine({ url: server.url })
    const companions = [
      '```python run files=u.py\nimport sys, u\nprint(sys.stdin.read(), u.x)\n```\n',
      '```text stdin {2}\none\ntwo\n```\n',
      '```python file=u.py {1,3}\nx = 1\ny = 2\nz = 3\n```\n',
      '```js {2-3}\nlet a\nlet b\nlet c\n```\n',
      '```js {3-2}\nlet d\nlet e\n```\n',
    ].join('\n')
    const file = await unified()
      .use(remarkParse)
      .use(remarkRunnable, { engine, cacheDir })
      .use(remarkRehype)
      .use(rehypeHighlightFences)
      .use(rehypeStringify)
      .process(new VFile({ path: 'post.md', value: companions }))
    await engine.close()
    expect(file.messages).toEqual([])
    const html = String(file)
    // Each marked line's text, in page order (a highlighted line is one line of HTML).
    const marked = [...html.matchAll(/<span class="rb-line rb-mark">([^\n]*)<\/span>(?=\n|<\/code>|<\/pre>)/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''))
    expect(marked).toEqual(['two', 'x = 1', 'z = 3', 'let b', 'let c'])
    expect(html).toContain('<span class="rb-label" data-pagefind-ignore="">stdin</span><span class="rb-line">one</span>')
    // A malformed range on a fence that is not this package's marks nothing, and is not reported either.
    const last = html.slice(html.lastIndexOf('<pre'))
    expect(last).toMatch(/^<pre class="rb-hl" data-rb-highlighted=""><code class="language-js"><span class="rb-line">/)
    expect(last).not.toContain('rb-mark')
  })

  it('is off with highlight: false, and refuses a theme Shiki does not have', async () => {
    expect(await render(false)).toContain('<pre class="rb-code"><!--runnable-blog--><code class="language-python no-highlight">import u\nprint(u.x)</code></pre>')
    const engine = createPistonEngine({ url: server.url })
    expect(() => unified().use(remarkParse).use(remarkRunnable, { engine, highlight: { light: 'nope', dark: 'github-dark' } }).freeze()).toThrow(
      `highlight: light must name one of Shiki's themes (e.g. github-light), got "nope"`,
    )
  })
})

describe('failOnError, for unified hosts that read no messages', () => {
  it('throws one error listing every error of the file, after all its snippets ran', async () => {
    const engine = createLocalEngine()
    const cacheDir = await mkdtemp(join(tmpdir(), 'rb-fail-'))
    const processor = unified().use(remarkParse).use(remarkRunnable, { engine, cacheDir, failOnError: true }).use(remarkRehype).use(rehypeStringify)
    const markdown = '```bash run\nexit 3\n```\n\n```bash run unknown=1\necho fine\n```\n\n```python run timeout=soon\nprint(1)\n```\n'
    const error = await processor.process(new VFile({ path: 'post.md', value: markdown })).then(() => undefined, (e: Error) => e)
    await engine.close()
    expect(error?.message.split('\n')).toEqual([
      'runnable-blog: 2 snippet errors',
      'post.md:1:1: error  bash snippet exited with code 3 (expected exit code 0)  [snippet-failed]',
      expect.stringMatching(/^post\.md:9:15: error {2}timeout must be a positive whole number/),
    ])
    const fine = await processor.process(new VFile({ path: 'ok.md', value: '```bash run\necho fine\n```\n' }))
    expect(String(fine)).toContain('fine')
  })
})

describe('the place a failure names', () => {
  it('is the column the tool names too, past the fence\'s indent in a list, on a line of plain ASCII, and in a prepended fence the line there', async () => {
    const engine = createLocalEngine()
    const cacheDir = await mkdtemp(join(tmpdir(), 'rb-place-'))
    try {
      const processor = unified().use(remarkParse).use(remarkRunnable, { engine, cacheDir }).use(remarkRehype).use(rehypeStringify)
      const markdown = [
        ...['- a list', '', '  ```javascript run', '  console.log(1)', '  throw new Error("x")', '  ```', ''],
        ...['```javascript run', '\tthrow new Error("tab")', '```', ''],
        ...['```python id=setup hidden', 'import math', 'def helper(x):', '    return math.sqrt(x)', '```', ''],
        ...['```python run prepend=setup', 'print(helper(-1))', '```', ''],
      ].join('\n')
      const file = await processor.process(new VFile({ path: 'post.md', value: markdown }))
      // Node names main.js:2:7 and main.js:1:8; a tab makes a column unsure (gcc counts one as up to 8): the fence's.
      // Python's innermost frame is line 3 of main.py: the hidden setup's third line, where the author wrote it, at its carets (past the indent).
      expect(file.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual(['5:9 snippet-failed', '9:1 snippet-failed', '15:12 snippet-failed'])
    } finally {
      await engine.close()
      await rm(cacheDir, { recursive: true, force: true })
    }
  })
})

describe('a fence another plugin made', () => {
  it('runs without a position, and its problems name the file alone', async () => {
    const engine = createLocalEngine()
    const cacheDir = await mkdtemp(join(tmpdir(), 'rb-made-'))
    // What a plugin before this one may do (Sätteri's declarative nodes never carry one): a run fence with no position.
    const makeFences = () => (tree: Root) => {
      const made: Record<string, Code> = {
        MAKE: { type: 'code', lang: 'bash', meta: 'run unknown=1', value: 'echo made; exit 3' },
        TWICE: { type: 'code', lang: 'bash', meta: 'run id=same', value: 'echo twice' },
      }
      tree.children = tree.children.map((node) => (node.type === 'paragraph' && made[toString(node)] ? { ...made[toString(node)]! } : node))
    }
    const processor = unified().use(remarkParse).use(makeFences).use(remarkRunnable, { engine, cacheDir }).use(remarkRehype).use(rehypeStringify)
    const file = await processor.process(new VFile({ path: 'post.md', value: 'Prose.\n\nMAKE\n' }))
    const twice = await processor.process(new VFile({ path: 'twice.md', value: 'TWICE\n\nTWICE\n' }))
    await engine.close()
    await rm(cacheDir, { recursive: true, force: true })
    expect(String(file)).toMatch(/class="rb-stream rb-stdout">.*made\n<\/pre>/s)
    expect(file.data.snippets).toMatchObject([{ line: undefined, column: 1, status: 'failed' }])
    expect(file.messages.map((m) => [m.ruleId, m.line])).toEqual([
      ['unknown-option', undefined],
      ['snippet-failed', undefined],
    ])
    expect(twice.messages.map((m) => [m.reason, m.line])).toEqual([['id "same" is already declared', undefined]])
  })
})
