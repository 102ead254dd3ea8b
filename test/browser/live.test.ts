/**
 * The live runner (issue 4) in a real Chromium: a fixture blog built by a
 * real Eleventy with the plugin, dist/ served on 127.0.0.1 with the production CSP, and the
 * Piston test server behind a CORS proxy on another port.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, BrowserContextOptions, Locator, Page, Request } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { eleventyConfig } from '../helpers/eleventy.js'
import { fence, type makeProject, post } from '../helpers/project.js'
import type { PistonServer } from '../piston-server/index.js'
import { type FixtureSite, holdRequests, startFixtureSite } from './fixture-site.js'
import { type ApiProxy, deadOrigin, serveDirectory, type StaticServer } from './helpers.js'

// Page-side globals, for code that runs inside the browser (the root tsconfig has no DOM types).
declare const window: { __pwned?: unknown }
declare const document: { activeElement: { getAttribute(name: string): string | null } | null }
declare function getComputedStyle(element: unknown): { outlineStyle: string; outlineWidth: string; borderTopStyle: string }

const SETUP = 'GREETING = "Hello"\ndef greet(name):\n    return f"{GREETING}, {name}!"'
const HOSTILE = [
  'print("<script>window.__pwned = 1</script>")',
  `print('<img src=x onerror="window.__pwned = 2">')`,
  'print("\\x1b[1;31mdanger\\x1b[0m plain")',
].join('\n')

const content = post(
  'Live',
  [
    'Snippets to re-run.\n',
    fence('python id=setup hidden', SETUP),
    fence('python run title="Greeting" prepend=setup', 'print(greet("build"))'),
    fence('python run title="Echo stdin" stdin="Ada"', 'print("Hi", input())'),
    fence('python run title="Hostile output"', HOSTILE),
    fence('python run', 'print(6 * 7)'),
    fence('python run title="Static" live=false', 'print("static")'),
    fence('python file=helper.py hidden', 'def shout(words):\n    return " ".join(words).upper()'),
    fence(`python run title="Files and args" files=helper.py args="one 'two three'"`, 'import sys\nfrom helper import shout\nprint(shout(sys.argv[1:]))'),
    fence('python run title="Declared failure" exit=3', 'import sys\nsys.exit(3)'),
  ].join('\n'),
)

let browser: Browser
let buildServer: PistonServer
let liveServer: PistonServer
let proxy: ApiProxy
let project: Awaited<ReturnType<typeof makeProject>>
/** dist/ built with the live endpoint, with an endpoint where nothing listens, and without one. */
let live: StaticServer
let dead: StaticServer
let plain: StaticServer

beforeAll(async () => {
  let build: FixtureSite['build']
  ;({ browser, buildServer, liveServer, proxy, project, build } = await startFixtureSite({ ...eleventyConfig(), 'content/live.md': content }))
  const deadApi = await deadOrigin()
  // One after the other: the first fills the cache, the others only read it.
  await build('dist-live', proxy.url)
  await build('dist-dead', `${deadApi}/api/v2`)
  await build('dist-plain')
  ;[live, dead, plain] = await Promise.all([
    serveDirectory(join(project.dir, 'dist-live'), proxy.origin),
    serveDirectory(join(project.dir, 'dist-dead'), deadApi),
    serveDirectory(join(project.dir, 'dist-plain')),
  ])
})

afterAll(async () => {
  await browser?.close()
  await Promise.all([live, dead, plain, proxy, liveServer, buildServer].map((s) => s?.close()))
  await project?.remove()
})

/** Every page's uncaught errors and console errors (CSP violations included); none are expected. */
let problems: string[] = []
const contexts: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()))
  // A fault no request used would hit the next test.
  expect(liveServer.clearFaults(), 'faults injected but never used').toEqual([])
  expect(problems).toEqual([])
  problems = []
})

/** Reports a page's uncaught errors and console errors to `problems`. */
function watch(page: Page): Page {
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  // Chromium also logs every failed request ("Failed to load resource: ... 429"): those are the point of some tests.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console: ${message.text()}`)
  })
  return page
}

/** One page for most tests, loaded afresh each time (a new page costs seconds on a busy machine). */
let shared: Page | undefined

/** The fixture post from `server`; options (no JavaScript, a fake clock) get a context of their own. */
async function open(server: StaticServer, options?: BrowserContextOptions & { clock?: boolean }): Promise<Page> {
  let page = shared
  if (options || !page) {
    const { clock, ...contextOptions } = options ?? {}
    const context = await browser.newContext(contextOptions)
    page = watch(await context.newPage())
    if (clock) await page.clock.install()
    if (options) contexts.push(context)
    else shared = page
  }
  await page.goto(`${server.origin}/live/`)
  return page
}

/** A block by its title, or the untitled one (the fourth). */
const figure = (page: Page, title: string) =>
  title === 'python snippet 4' ? page.locator('figure.rb-snippet').nth(3) : page.locator('figure.rb-snippet', { has: page.locator('.rb-title', { hasText: title }) })
const output = (page: Page, title: string) => figure(page, title).locator('.rb-output')
const button = (page: Page, label: string) => page.getByRole('button', { name: label, exact: true })
const editor = (page: Page, title: string) => figure(page, title).locator('textarea')

/** Polls until the assertion holds (auto-waiting on a real condition, never a fixed sleep). */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 20 })

const focusedIs = (locator: Locator) => locator.evaluate((el) => el === (document.activeElement as unknown))

/** Bodies of the execute requests that reached the Piston server since `from`. */
function executeBodies(from: number): Array<{ files: Array<{ content: string }>; stdin?: string; visibleFromLine?: unknown }> {
  return liveServer.requests.slice(from).filter((r) => r.path === '/api/v2/execute').map((r) => r.body as never)
}

describe('with a live endpoint', () => {
  it('adds labelled buttons without a request to the endpoint or a layout shift', async () => {
    const context = await browser.newContext()
    contexts.push(context)
    // Hold the page script back to measure the baked page, then let it attach.
    const release = await holdRequests(context, '**/assets/runnable-copy.*.js')
    const page = watch(await context.newPage())
    const before = proxy.requests.length
    await page.goto(`${live.origin}/live/`, { waitUntil: 'commit' })
    const figures = page.locator('figure.rb-snippet')
    await eventually(() => figures.count()).toBe(7)
    // Styled: the stylesheet has been applied, so the boxes are final.
    await eventually(() => figures.first().evaluate((el) => getComputedStyle(el).borderTopStyle)).toBe('solid')
    const boxes = async () => Promise.all((await figures.all()).map((f) => f.boundingBox()))
    const baked = await boxes()
    // Baked hidden: no control shows before the script makes it work.
    expect(await page.locator('button:visible').count()).toBe(0)

    release()
    await button(page, 'Reset python snippet 4').waitFor()
    expect(await boxes()).toEqual(baked)

    const labels = await Promise.all((await page.locator('.rb-actions button').all()).map((b) => b.getAttribute('aria-label')))
    expect(labels).toEqual(
      ['Greeting', 'Echo stdin', 'Hostile output', 'python snippet 4', 'Files and args', 'Declared failure'].flatMap((name) => ['Run', 'Edit', 'Reset'].map((action) => `${action} ${name}`)),
    )
    // live=false: no program, no buttons.
    expect(await figure(page, 'Static').getAttribute('data-rb-program')).toBeNull()
    expect(await figure(page, 'Static').locator('.rb-actions').count()).toBe(0)
    expect(await figure(page, 'Static').getByRole('button').allTextContents()).toEqual(['Copy'])
    expect(proxy.requests.length - before).toBe(0)
    // The page has one script; the live runner is not loaded until someone uses it.
    expect(live.requests.filter((path) => path.endsWith('.js'))).toEqual([expect.stringMatching(/^\/assets\/runnable-copy\./)])
  })

  it('loads the live runner once, on first use, keeps the baked output until the live result arrives, and carries out the press that loaded it', async () => {
    const context = await browser.newContext()
    contexts.push(context)
    const release = await holdRequests(context, '**/assets/runnable-live.*.js')
    const page = watch(await context.newPage())
    // What the browser asks for, held or not.
    const asked: string[] = []
    page.on('request', (request) => asked.push(new URL(request.url()).pathname))
    const runner = () => asked.filter((path) => /^\/assets\/runnable-live\.[0-9a-f]{10}\.js$/.test(path))
    const from = liveServer.requests.length
    await page.goto(`${live.origin}/live/`)
    await button(page, 'Run Greeting').waitFor()
    expect(runner()).toEqual([])
    // Keyboard first: focus reaching the buttons starts the load, Enter presses Run.
    await button(page, 'Run Greeting').focus()
    await page.keyboard.press('Enter')
    // While the runner is on its way, the page is as baked.
    expect(await output(page, 'Greeting').textContent()).toBe('stdoutHello, build!\n')
    expect(await figure(page, 'Greeting').getAttribute('data-rb-status')).toBe('ok')
    release()
    await eventually(() => executeBodies(from).length).toBe(1)
    await eventually(() => figure(page, 'Greeting').locator('.rb-runtime').textContent()).toMatch(/^ran just now with python /)
    expect(await output(page, 'Greeting').textContent()).toBe('stdoutHello, build!\n')
    // Another block, and Edit: no second load, the editor opens with focus.
    await button(page, 'Edit Echo stdin').click()
    await eventually(() => focusedIs(editor(page, 'Echo stdin'))).toBe(true)
    expect(await figure(page, 'Echo stdin').locator('code').isHidden()).toBe(true)
    expect(runner()).toHaveLength(1)
  })

  it('Run sends the full program and shows the fresh result; Reset restores the baked output', async () => {
    const before = proxy.requests.length
    const page = await open(live)
    const from = liveServer.requests.length
    await button(page, 'Run Echo stdin').waitFor()
    expect(proxy.requests.length).toBe(before) // loading asks the endpoint nothing
    const bakedHtml = await output(page, 'Echo stdin').innerHTML()

    await button(page, 'Run Echo stdin').click()
    await eventually(() => executeBodies(from).length).toBe(1)
    const [body] = executeBodies(from)
    expect(body).toMatchObject({ language: 'python', version: '*', stdin: 'Ada', files: [{ name: 'main.py', content: 'print("Hi", input())' }] })
    expect(body).not.toHaveProperty('visibleFromLine')
    expect(liveServer.requests.at(-1)!.headers['content-type']).toBe('application/json')
    await eventually(() => output(page, 'Echo stdin').getAttribute('aria-busy')).toBeNull()
    await eventually(() => output(page, 'Echo stdin').locator('.rb-stdout').textContent()).toBe('stdoutHi Ada\n')
    // The live result is a fresh node, rendered by the build's rules: same markup as baked, but for
    // the search index's marks on our words, which nothing reads in a reader's browser (view.ts, `ours`).
    expect(bakedHtml).toContain('<span class="rb-label" data-pagefind-ignore="">stdout</span>')
    expect(await output(page, 'Echo stdin').innerHTML()).toBe(bakedHtml.replaceAll(' data-pagefind-ignore=""', ''))
    await eventually(() => output(page, 'Echo stdin').getAttribute('aria-live')).toBe('polite')
    await eventually(() => figure(page, 'Echo stdin').getAttribute('data-rb-status')).toBe('ok')

    // Reset must bring the baked output back from a live one that differs from it.
    liveServer.inject({ type: 'status', status: 502, body: '' })
    await button(page, 'Run Echo stdin').click()
    await eventually(() => output(page, 'Echo stdin').locator('.rb-notice').textContent()).toBe('not run: the server answered 502')
    await eventually(() => figure(page, 'Echo stdin').getAttribute('data-rb-status')).toBe('not-run')
    // The failed attempt's notice comes above the baked output, which stays, and says when it ran.
    expect(await output(page, 'Echo stdin').textContent()).toBe('not run: the server answered 502stdoutHi Ada\n')
    expect(await figure(page, 'Echo stdin').locator('.rb-runtime').textContent()).toMatch(/^ran at build time with python /)
    await button(page, 'Reset Echo stdin').click()
    expect(await output(page, 'Echo stdin').innerHTML()).toBe(bakedHtml)
    expect(await figure(page, 'Echo stdin').getAttribute('data-rb-status')).toBe('ok')
  })

  it('Edit then Run runs the edited code after the hidden setup; Reset restores code and output', async () => {
    const page = await open(live)
    const from = liveServer.requests.length
    await button(page, 'Edit Greeting').click()
    await eventually(() => button(page, 'Edit Greeting').getAttribute('aria-pressed')).toBe('true')
    const textarea = editor(page, 'Greeting')
    await eventually(() => focusedIs(textarea)).toBe(true)
    await eventually(() => textarea.inputValue()).toBe('print(greet("build"))')
    await textarea.fill('print(greet("browser"))\nprint(1 / 0)')
    await button(page, 'Run Greeting').click()

    await eventually(() => output(page, 'Greeting').locator('.rb-stdout').textContent()).toBe('stdoutHello, browser!\n')
    await eventually(() => output(page, 'Greeting').locator('.rb-stderr').textContent()).toContain('ZeroDivisionError')
    // The job's folder is gone, by the build's own rule: the traceback reads as the baked one would.
    expect(await output(page, 'Greeting').locator('.rb-stderr').textContent()).toContain('File "main.py", line 5, in <module>')
    expect(await output(page, 'Greeting').textContent()).not.toContain('/piston/jobs/')
    await eventually(() => output(page, 'Greeting').locator('.rb-status').textContent()).toBe('exited with code 1')
    await eventually(() => figure(page, 'Greeting').getAttribute('data-rb-status')).toBe('failed')
    expect(executeBodies(from).map((b) => b.files[0]!.content)).toEqual([`${SETUP}\nprint(greet("browser"))\nprint(1 / 0)`])

    // Closing the editor keeps the edit on the page.
    await button(page, 'Edit Greeting').click()
    await eventually(() => textarea.count()).toBe(0)
    await eventually(() => figure(page, 'Greeting').locator('.rb-code code').textContent()).toBe('print(greet("browser"))\nprint(1 / 0)')

    await button(page, 'Reset Greeting').click()
    await eventually(() => figure(page, 'Greeting').locator('.rb-code code').textContent()).toBe('print(greet("build"))')
    await eventually(() => output(page, 'Greeting').textContent()).toBe('stdoutHello, build!\n')
    await eventually(() => figure(page, 'Greeting').getAttribute('data-rb-status')).toBe('ok')
    await eventually(() => button(page, 'Edit Greeting').getAttribute('aria-pressed')).toBe('false')
  })

  it('judges a live run by the fence\'s declared outcome, as the build does', async () => {
    const page = await open(live)
    const status = () => figure(page, 'Declared failure').getAttribute('data-rb-status')
    const runEdited = async (code: string, expected: string) => {
      await editor(page, 'Declared failure').fill(code)
      await button(page, 'Run Declared failure').click()
      await eventually(() => output(page, 'Declared failure').locator('.rb-status, .rb-empty').textContent()).toBe(expected)
    }
    expect(await status()).toBe('expected-failure')
    await button(page, 'Run Declared failure').click()
    await eventually(() => output(page, 'Declared failure').getAttribute('aria-busy')).toBeNull()
    await eventually(() => output(page, 'Declared failure').locator('.rb-status').textContent()).toBe('exited with code 3')
    expect(await status()).toBe('expected-failure')

    await button(page, 'Edit Declared failure').click()
    // Failing, but not as declared: an error again.
    await runEdited('import sys\nsys.exit(4)', 'exited with code 4')
    expect(await status()).toBe('failed')
    await runEdited('import sys\nsys.exit(3)', 'exited with code 3')
    expect(await status()).toBe('expected-failure')
    // A clean exit with no output from a server without status is not shown as a plain success.
    await runEdited('pass', '(no output)')
    expect(await status()).toBe('unconfirmed')
    expect(await output(page, 'Declared failure').locator('.rb-notice--unconfirmed').textContent()).toBe(
      'unconfirmed: a busy server answers so for a program it killed; run it again',
    )

    await button(page, 'Reset Declared failure').click()
    await eventually(status).toBe('expected-failure')
  })

  it('sends the extra files and the arguments, also with edited code', async () => {
    const page = await open(live)
    const from = liveServer.requests.length
    await button(page, 'Run Files and args').click()
    await eventually(() => output(page, 'Files and args').locator('.rb-stdout').textContent()).toBe('stdoutONE TWO THREE\n')
    await button(page, 'Edit Files and args').click()
    await editor(page, 'Files and args').fill('import sys\nfrom helper import shout\nprint(shout(reversed(sys.argv[1:])))')
    await button(page, 'Run Files and args').click()
    await eventually(() => output(page, 'Files and args').locator('.rb-stdout').textContent()).toBe('stdoutTWO THREE ONE\n')
    const bodies = executeBodies(from) as Array<{ files: Array<{ name: string; content: string }>; args?: string[] }>
    expect(bodies.map((b) => [b.args, b.files.map((f) => f.name)])).toEqual([
      [['one', 'two three'], ['main.py', 'helper.py']],
      [['one', 'two three'], ['main.py', 'helper.py']],
    ])
  })

  it('works from the keyboard alone, with visible focus', async () => {
    const page = await open(live)
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null)
    for (let i = 0; i < 20 && (await focused()) !== 'Run Echo stdin'; i++) await page.keyboard.press('Tab')
    expect(await focused()).toBe('Run Echo stdin')
    const run = button(page, 'Run Echo stdin')
    expect(await run.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid')
    expect(await run.evaluate((el) => getComputedStyle(el).outlineWidth)).toBe('2px')

    const from = liveServer.requests.length
    await page.keyboard.press('Enter')
    await eventually(() => executeBodies(from).length).toBe(1)
    await eventually(() => output(page, 'Echo stdin').getAttribute('aria-busy')).toBeNull()

    await page.keyboard.press('Tab')
    expect(await focused()).toBe('Edit Echo stdin')
    await page.keyboard.press('Space')
    await eventually(() => focusedIs(editor(page, 'Echo stdin'))).toBe(true)
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.type('print("Bye", input())')
    await page.keyboard.press('Control+Enter')
    await eventually(() => output(page, 'Echo stdin').locator('.rb-stdout').textContent()).toBe('stdoutBye Ada\n')
    await eventually(() => editor(page, 'Echo stdin').inputValue()).toBe('print("Bye", input())') // no newline typed
    await page.keyboard.press('Meta+Enter')
    await eventually(() => executeBodies(from).length).toBe(3)
  })

  it('a second Run aborts the one in flight and shows its own result', async () => {
    const page = await open(live)
    const aborted: string[] = []
    const onFailed = (request: Request) => void aborted.push(`${request.method()} ${request.failure()?.errorText}`)
    page.on('requestfailed', onFailed)
    const from = liveServer.requests.length
    liveServer.inject({ type: 'delay', ms: 60_000 })

    await button(page, 'Edit Greeting').click()
    await editor(page, 'Greeting').fill('print(greet("first"))')
    await editor(page, 'Greeting').press('Control+Enter')
    await eventually(() => executeBodies(from).length).toBe(1)
    await eventually(() => output(page, 'Greeting').getAttribute('aria-busy')).toBe('true')

    await editor(page, 'Greeting').fill('print(greet("second"))')
    await editor(page, 'Greeting').press('Control+Enter')
    await eventually(() => output(page, 'Greeting').locator('.rb-stdout').textContent()).toBe('stdoutHello, second!\n')
    await eventually(() => output(page, 'Greeting').getAttribute('aria-busy')).toBeNull()
    // The first fetch was cancelled in the browser, so its answer can never arrive.
    await eventually(() => aborted).toEqual(['POST net::ERR_ABORTED'])
    expect(executeBodies(from).map((b) => b.files[0]!.content.split('\n').at(-1))).toEqual(['print(greet("first"))', 'print(greet("second"))'])
    await eventually(() => output(page, 'Greeting').textContent()).not.toContain('first')
    page.off('requestfailed', onFailed)
  })

  it('does not show a lost output as a success, even on a block declared to hit the output limit', async () => {
    const page = await open(live)
    const out = output(page, 'python snippet 4')
    liveServer.inject({ type: 'lost-output' })
    await button(page, 'Run python snippet 4').click()
    await eventually(() => out.locator('.rb-notice--unconfirmed').textContent()).toBe('unconfirmed: a busy server answers so for a program it killed; run it again')
    expect(await out.locator('.rb-empty').textContent()).toBe('(no output)')
    expect(await figure(page, 'python snippet 4').getAttribute('data-rb-status')).toBe('unconfirmed')
    // Run again: the real answer replaces it.
    await button(page, 'Run python snippet 4').click()
    await eventually(() => out.locator('.rb-stdout').textContent()).toBe('stdout42\n')
    await eventually(() => figure(page, 'python snippet 4').getAttribute('data-rb-status')).toBe('ok')
    expect(await out.locator('.rb-notice').count()).toBe(0)
  })

  it('says when the server is rate limiting, refuses the program or finds it too large, and stays usable', async () => {
    const page = await open(live)
    const out = output(page, 'python snippet 4')
    const cases = [
      [{ type: 'status', status: 429, retryAfter: '30' }, 'not run: rate limited; try again in 30 s', 'rb-notice--rate-limited'],
      [{ type: 'status', status: 400, body: JSON.stringify({ message: 'python-3.99 runtime is unknown' }) }, 'not run: the server answered 400: python-3.99 runtime is unknown', 'rb-notice--rejected'],
      [{ type: 'status', status: 413, body: '413 Request Entity Too Large' }, 'not run: the program is too large for the server', 'rb-notice--too-large'],
      [{ type: 'status', status: 429 }, 'not run: rate limited; try again later', 'rb-notice--rate-limited'],
      [{ type: 'status', status: 502, body: '' }, 'not run: the server answered 502', 'rb-notice--error'],
    ] as const
    for (const [fault, words, className] of cases) {
      liveServer.inject(fault)
      await button(page, 'Run python snippet 4').click()
      await eventually(() => out.locator('.rb-notice').textContent()).toBe(words)
      await eventually(() => out.locator('.rb-notice').getAttribute('class')).toBe(`rb-notice ${className}`)
      await eventually(() => figure(page, 'python snippet 4').getAttribute('data-rb-status')).toBe('not-run')
    }
    // The next run works, and the baked output is one click away.
    await button(page, 'Run python snippet 4').click()
    await eventually(() => out.locator('.rb-stdout').textContent()).toBe('stdout42\n')
    await button(page, 'Reset python snippet 4').click()
    await eventually(() => out.textContent()).toBe('stdout42\n')
  })

  it('words absurd answers sanely: a Retry-After of eons, a stage without an exit code', async () => {
    const page = await open(live)
    const out = output(page, 'python snippet 4')
    const stage = { stdout: '', stderr: 'boom', output: 'boom', signal: null }
    const noCode = JSON.stringify({ language: 'c', version: '12.2.0', compile: stage, run: { ...stage, code: 1 } })
    for (const [fault, words] of [
      [{ type: 'status', status: 429, retryAfter: '99999999999999999999' }, 'not run: rate limited; try again later'],
      [{ type: 'status', status: 200, body: noCode }, "not run: the server's answer was not understood"],
    ] as const) {
      liveServer.inject(fault)
      await button(page, 'Run python snippet 4').click()
      await eventually(() => out.locator('.rb-notice').textContent()).toBe(words)
    }
  })

  it('stays responsive with a huge or endless answer: reads at most a cap, renders at most the output limit', async () => {
    const page = await open(live)
    const out = output(page, 'python snippet 4')
    const answer = (stdout: string, output = stdout) => JSON.stringify({ language: 'python', version: '3.11.2', run: { stdout, stderr: '', output, code: 0, signal: null } })
    // The fixture's server limit is Piston's 1024 characters: answers past 1024 * 40 + 64 KiB bytes are cut off.
    const tooLarge = "not run: the server's answer was too large"
    const cases = [
      [{ type: 'status', status: 200, body: answer('A'.repeat(25_000_000)) }, tooLarge], // 50 MB
      [{ type: 'status', status: 200, body: answer('B'.repeat(5_000_000)) }, tooLarge], // 5 MB of stdout
      [{ type: 'status', status: 400, body: JSON.stringify({ message: 'C'.repeat(50_000_000) }) }, tooLarge],
      [{ type: 'status', status: 200, body: answer('D'.repeat(50_000), '') }, `stdout${'D'.repeat(1024)}\n[48976 more characters not shown]`],
    ] as const
    for (const [fault, words] of cases) {
      // The longest the page's main thread went without running a 5 ms timer, from the click to the result.
      await page.evaluate(() => {
        const state = globalThis as unknown as { gap: number; beat: number }
        let last = performance.now()
        state.gap = 0
        const beat = () => {
          const now = performance.now()
          state.gap = Math.max(state.gap, now - last)
          last = now
          state.beat = setTimeout(beat, 5) as unknown as number
        }
        beat()
      })
      liveServer.inject(fault)
      await button(page, 'Run python snippet 4').click()
      // A notice comes first (the baked output after it); a result alone.
      await eventually(() => out.locator(':scope > *').first().textContent()).toBe(words)
      const gap = await page.evaluate(() => {
        const state = globalThis as unknown as { gap: number; beat: number }
        clearTimeout(state.beat)
        return state.gap
      })
      expect(gap).toBeLessThan(1000)
    }
  }, 60_000)

  it('reads a Retry-After given as an HTTP date against the page clock', async () => {
    const page = await open(live, { clock: true })
    await page.clock.setFixedTime(new Date('2026-01-01T00:00:00Z'))
    const out = output(page, 'python snippet 4').locator('.rb-notice--rate-limited')
    for (const [date, words] of [
      ['Thu, 01 Jan 2026 00:01:30 GMT', 'not run: rate limited; try again in 90 s'],
      ['Wed, 31 Dec 2025 23:59:00 GMT', 'not run: rate limited; try again later'], // already past
    ] as const) {
      liveServer.inject({ type: 'status', status: 429, retryAfter: date })
      await button(page, 'Run python snippet 4').click()
      await eventually(() => out.textContent()).toBe(words)
    }
  })

  it('gives up on a server that does not answer, with its own clock', async () => {
    const page = await open(live, { clock: true })
    const from = liveServer.requests.length
    liveServer.inject({ type: 'delay', ms: 60_000 })
    await button(page, 'Run Greeting').click()
    await eventually(() => executeBodies(from).length).toBe(1)
    await eventually(() => output(page, 'Greeting').getAttribute('aria-busy')).toBe('true')
    // No run_timeout: 3 s run + 10 s compile + 20 s for the network and queueing.
    await page.clock.runFor(33_000)
    await eventually(() => output(page, 'Greeting').locator('.rb-notice--timeout').textContent()).toBe('not run: no answer from the server within 33 s')
    await eventually(() => output(page, 'Greeting').getAttribute('aria-busy')).toBeNull()
    await button(page, 'Reset Greeting').click()
    await eventually(() => output(page, 'Greeting').textContent()).toBe('stdoutHello, build!\n')
  })

  it('renders hostile output as inert text, ANSI colours as classes', async () => {
    const page = await open(live)
    await button(page, 'Run Hostile output').click()
    const out = output(page, 'Hostile output')
    await eventually(() => out.locator('.rb-stdout').textContent()).toContain('danger plain')
    await eventually(() => out.locator('.rb-stdout').textContent()).toContain('<script>window.__pwned = 1</script>')
    await eventually(() => out.locator('.rb-stdout').textContent()).toContain('<img src=x onerror="window.__pwned = 2">')
    await eventually(() => out.locator('span.rb-bold.rb-fg-red').textContent()).toBe('danger')
    expect(await out.locator('script, img').count()).toBe(0)
    expect(await page.locator('img').count()).toBe(0)
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined()

    // Edited code printing markup is just as inert.
    await button(page, 'Edit Hostile output').click()
    await editor(page, 'Hostile output').fill('print("<b>bold?</b><iframe src=javascript:alert(1)>")')
    await editor(page, 'Hostile output').press('Control+Enter')
    await eventually(() => out.locator('.rb-stdout').textContent()).toBe('stdout<b>bold?</b><iframe src=javascript:alert(1)>\n')
    expect(await out.locator('b, iframe').count()).toBe(0)
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined()
  })

  it('says when the server cannot be reached or refuses this site (a browser cannot tell which), and stays usable', async () => {
    const page = await open(dead)
    await button(page, 'Run Greeting').click()
    await eventually(() => output(page, 'Greeting').locator('.rb-notice--unreachable').textContent()).toBe('not run: could not reach the server, or it does not accept runs from this site')
    await button(page, 'Reset Greeting').click()
    await eventually(() => output(page, 'Greeting').textContent()).toBe('stdoutHello, build!\n')
    await button(page, 'Edit Greeting').click()
    await eventually(() => focusedIs(editor(page, 'Greeting'))).toBe(true)
  })

  it('without JavaScript shows the baked page and no controls', async () => {
    const page = await open(live, { javaScriptEnabled: false })
    await eventually(() => output(page, 'Greeting').textContent()).toBe('stdoutHello, build!\n')
    await eventually(() => output(page, 'Echo stdin').textContent()).toBe('stdoutHi Ada\n')
    expect(await page.locator('button:visible, textarea').count()).toBe(0)
  })
})

describe('without a live endpoint', () => {
  it('the page loads only the copy button\'s script and has no live controls or programs', async () => {
    const html = await readFile(join(project.dir, 'dist-plain/live/index.html'), 'utf8')
    expect(html.match(/<script[^>]*>/g)).toEqual([expect.stringMatching(/^<script src="\.\.\/assets\/runnable-copy\.[0-9a-f]{10}\.js" defer>$/)])
    expect(html).not.toContain('runnable-endpoint')
    expect(html).not.toContain('data-rb-program')
    expect(html).not.toContain('rb-actions')
    expect((await readdir(join(project.dir, 'dist-plain/assets'))).filter((f) => f.endsWith('.js'))).toEqual([expect.stringMatching(/^runnable-copy\./)])

    const page = await open(plain)
    await eventually(() => output(page, 'Greeting').textContent()).toBe('stdoutHello, build!\n')
    // One copy button per block, nothing else.
    await eventually(() => page.locator('button:visible').count()).toBe(7)
    expect(await page.getByRole('button', { name: 'Copy' }).count()).toBe(7)
    expect(plain.requests.filter((path) => path.endsWith('.js'))).toEqual([expect.stringMatching(/^\/assets\/runnable-copy\./)])
    expect(plain.requests).toContain('/live/')
  })
})
