/**
 * Live re-running in the browser, as progressive enhancement of the baked
 * blocks (`figure[data-rb-program]`, see src/render/to-hast.ts). An ES
 * module the page script (page.ts) imports on a reader's first use of Run
 * or Edit, only where the build had a live endpoint
 * (`<meta name="runnable-endpoint">`); without it, or without JavaScript,
 * the page stays exactly the baked page.
 *
 * Results are rendered by the build's own rules (src/render/view.ts) and
 * turned into DOM with createElement and text nodes only: program output
 * never becomes markup. A live result says so ("ran just now with python
 * 3.11.2" in place of "ran at build time with ..."); a failed attempt shows
 * its notice above the baked output, which stays.
 *
 * Every byte ships to every reader who presses Run: the gzipped
 * bundle, shared rendering code included, is held to a budget
 * (test/browser/bundle.test.ts), hence the terse style: one closure per
 * block, no helpers that are used once.
 */
import { acceptsOutcome } from '../check/expectations.js'
import type { ExecuteRequest, ExecuteResponse, Stage } from '../execution/types.js'
import { PISTON_JOB_DIR } from '../execution/job-dir.js'
import { describeOutcome, formatDuration, isUnconfirmed, type OutcomeContext } from '../render/outcome.js'
import { noticeView, outputView, type ViewNode } from '../render/view.js'

/**
 * A view node as DOM, as the build renders it (to-hast.ts) but for the
 * search index's mark on our words (`ours`): no index reads a reader's
 * page. Strings become text nodes (`append` of a string), never HTML.
 */
const toDom = (node: ViewNode): HTMLElement => {
  const element = document.createElement(node.tag)
  element.className = node.classes.join(' ')
  element.append(...node.children.map((child) => (typeof child === 'string' ? child : toDom(child))))
  return element
}

const notice = (kind: string, text: string) => toDom(noticeView(kind, `not run: ${text}`))

/** A stage as Piston sends it; anything else is an answer not understood, not "exit code undefined". */
const isStage = (stage?: Stage) => typeof stage?.stdout == 'string' && typeof stage.stderr == 'string' && (stage.code === null || stage.code >= 0) && stage.signal !== undefined

/**
 * Makes one block's Run, Edit and Reset work against `endpoint`: returns
 * their handlers, in that order, which the page script calls on every press
 * (the one that loaded this file included). Throws, leaving the block as
 * baked, when its markup is not as the build writes it.
 */
export default (figure: HTMLElement, endpoint: string): Array<() => void> => {
  const { dataset } = figure
  const find = (selector: string) => figure.querySelector(selector)!
  // Run, Edit and Reset are baked hidden and labelled (src/render/to-hast.ts), Edit with aria-pressed; the page script shows them and calls the handlers.
  const edit = find('[aria-pressed]')
  const output = find('.rb-output')
  const code = find('.rb-code code') as HTMLElement
  const runtime = find('.rb-runtime')
  const program: ExecuteRequest = JSON.parse(dataset.rbProgram!)
  // The server's limits as the build knew them, with the fence's own applied.
  const limits: Required<OutcomeContext> = JSON.parse(dataset.rbLimits!)
  const max = limits.outputMaxSize
  const [entry, ...extras] = program.files
  const baked = [...output.childNodes]
  const bakedStatus = dataset.rbStatus
  const bakedRuntime = [runtime.textContent!]
  // The highlighted code, put back when the code shown is the original again.
  const bakedCode = [...code.childNodes]
  const original = code.textContent!
  // Longer than any compile and run the server allows, plus queueing.
  const timeoutMs = limits.timeoutMs + limits.compileTimeoutMs + 20_000
  // Piston's answer holds each stream up to 6 times (stdout, stderr and output of two stages), each
  // character at most 6 bytes of JSON: an answer past this is not Piston's, and is not read on.
  const maxBytes = max * 40 + 65_536
  // Nor is more rendered of a stream than the server's limit lets a program print.
  const clip = (text: string) =>
    text.length > max ? `${text.slice(0, max)}\n[${text.length - max} more characters not shown]` : text
  let editor: HTMLTextAreaElement | undefined
  let inFlight: AbortController | undefined

  const settle = (view: Node[], status = bakedStatus, ran = bakedRuntime) => {
    inFlight?.abort()
    inFlight = undefined
    output.ariaBusy = null
    output.replaceChildren(...view)
    dataset.rbStatus = status
    runtime.replaceChildren(...ran)
  }

  const run = async () => {
    inFlight?.abort()
    const controller = (inFlight = new AbortController())
    const visible = editor ? editor.value : code.textContent
    // Edited code runs after the hidden setup: the first `data-rb-setup` characters of the entry file.
    const content = visible === original ? entry!.content : entry!.content.slice(0, +dataset.rbSetup!) + visible
    // The notice if this attempt fails from here on; a browser cannot tell a refusal (CORS) from a network failure.
    let failure: [kind: string, text: string] = ['unreachable', 'could not reach the server, or it does not accept runs from this site'] 
    const timer = setTimeout(() => {
      failure = ['timeout', `no answer from the server within ${formatDuration(timeoutMs)}`]
      controller.abort()
    }, timeoutMs)
    let view: HTMLElement
    let lead: Node[] = []
    let status = 'not-run'
    let ran: string[] | undefined
    output.ariaBusy = 'true'
    try {
      const started = Date.now()
      const response = await fetch(`${endpoint}/execute`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...program, files: [{ ...entry, content }, ...extras] }),
        signal: controller.signal,
      })
      failure = ['error', "the server's answer was not understood"]
      const answer = response.status
      // Read as a stream, so that a huge or endless answer is cut off instead of freezing the tab.
      const reader = response.body!.getReader()
      const chunks: BlobPart[] = []
      for (let size = 0, chunk; !(chunk = await reader.read()).done; chunks.push(chunk.value)) {
        if ((size += chunk.value.length) > maxBytes) throw (failure = ['error', "the server's answer was too large"])
      }
      // Quoted: the bundle mangles `text` (src/adapters/live-script.ts).
      const text = await new Blob(chunks)['text']()
      if (response.ok) {
        // The job's folder goes, as the build removes it: File "main.py", not /piston/jobs/<uuid>/main.py.
        // (A job path has nothing JSON escapes, so the rule applies to the text as it is.)
        const result: ExecuteResponse = JSON.parse(text.replace(PISTON_JOB_DIR, ''))
        if (!isStage(result.run) || (result.compile && !isStage(result.compile))) throw 0
        // As the build's client measures it: lets a timeout be told from an output-cap kill.
        result.elapsed_ms = Date.now() - started
        const outcome = describeOutcome(result, limits)
        const { compile, run } = result
        if (compile) compile.output = clip(compile.output)
        for (const name of ['stdout', 'stderr'] as const) run[name] = clip(run[name])
        view = toDom(outputView(result, outcome))
        ran = [`ran just now with ${result.language} ${result.version}`]
        // Judged as the build judges it: a declared failure is calm only when it is the one declared.
        status = outcome.kind === 'ok' ? 'ok' : acceptsOutcome(outcome, dataset.rbExpect!.split(' ')) ? 'expected-failure' : 'failed'
        // Not a success until confirmed, which a page cannot do alone (src/render/outcome.ts).
        if (isUnconfirmed(result)) lead = [toDom(noticeView((status = 'unconfirmed'), 'unconfirmed: a busy server answers so for a program it killed; run it again'))]
      } else if (answer === 429) {
        // Seconds or an HTTP date; without either (or with a date past, or more than a day away), "later".
        const retryAfter = response.headers.get('retry-after')
        const wait = /^\d+$/.test(retryAfter!) ? +retryAfter! * 1000 : Date.parse(retryAfter!) - Date.now()
        view = notice('rate-limited', `rate limited; try again ${wait >= 0 && wait <= 864e5 ? `in ${formatDuration(Math.ceil(wait / 1000) * 1000)}` : 'later'}`)
      } else if (answer === 413) view = notice('too-large', 'the program is too large for the server')
      else {
        // Piston's 400 says what is wrong in `message`; a proxy's error page says nothing useful.
        let message
        try {
          message = clip(JSON.parse(text).message)
        } catch {}
        view = notice(answer === 400 ? 'rejected' : 'error', `the server answered ${answer}${message ? `: ${message}` : ''}`)
      }
    } catch {
      view = notice(...failure)
    }
    clearTimeout(timer)
    // Otherwise a newer run, or Reset, owns the output area now.
    // (`ran` undefined: the baked runtime line stays.)
    if (inFlight === controller) settle(ran ? [...lead, view] : [view, ...baked], status, ran)
  }

  const pressed = (on: boolean) => (edit.ariaPressed = `${on}`)

  /** Closes the editor; the code shown is `text`, highlighted as baked when it is the original. */
  const close = (text: string) => {
    editor?.remove()
    editor = undefined
    text === original ? code.replaceChildren(...bakedCode) : (code.textContent = text)
    code.hidden = false
    pressed(false)
  }

  const toggle = () => {
    if (editor) return close(editor.value)
    const textarea = (editor = document.createElement('textarea'))
    const fit = () => (textarea.rows = textarea.value.split('\n').length)
    textarea.value = code.textContent!
    textarea.wrap = 'off'
    textarea.spellcheck = false
    textarea.ariaLabel = `Code of ${dataset.rbName}; Ctrl+Enter runs it`
    textarea.oninput = fit
    textarea.onkeydown = (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault()
        run()
      }
    }
    fit()
    code.hidden = true
    code.after(textarea)
    pressed(true)
    textarea.focus()
  }
  const restore = () => {
    close(original)
    settle(baked)
  }
  return [run, toggle, restore]
}
