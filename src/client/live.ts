/**
 * Live re-running in the browser, as progressive enhancement of the baked
 * blocks (`figure.rb-snippet[data-rb-program]`, see src/render/to-hast.ts).
 * Loaded with `defer` only when the build had a live endpoint
 * (`<meta name="runnable-endpoint">`); without it, or without JavaScript,
 * the page stays exactly the baked page.
 *
 * Results are rendered by the build's own rules (src/render/view.ts) and
 * turned into DOM with createElement and text nodes only: program output
 * never becomes markup.
 *
 * Every byte ships to every reader: the gzipped bundle, shared rendering
 * code included, is held to a budget (test/browser/bundle.test.ts: 3.9 KB now; the goal is 3 KB), hence
 * the terse style: one closure per block, no helpers that are used once.
 */
import type { ExecuteRequest, ExecuteResponse } from '../execution/types.js'
import { describeOutcome, formatDuration } from '../render/outcome.js'
import { blockStatus, noticeView, outputView, type ViewNode } from '../render/view.js'

/** `data-rb-program`: the full request, plus how many lines of files[0] are hidden setup. */
interface Program extends ExecuteRequest {
  visibleFromLine?: number
}

/**
 * A view node as DOM. Strings become text nodes (`append` of a string), never
 * HTML. Output areas have classes only: view.ts sets no `attributes` on them.
 */
const toDom = (node: ViewNode): HTMLElement => {
  const element = document.createElement(node.tag)
  element.className = node.className.join(' ')
  element.append(...node.children.map((child) => (typeof child === 'string' ? child : toDom(child))))
  return element
}

const notice = (kind: string, text: string) => toDom(noticeView(kind, `not run: ${text}`))

const endpoint = document.querySelector<HTMLMetaElement>('meta[name=runnable-endpoint]')?.content
if (endpoint) {
  const url = `${endpoint.replace(/\/+$/, '')}/execute`
  document.querySelectorAll<HTMLElement>('figure.rb-snippet').forEach((figure, index) => {
    const { dataset } = figure
    const find = (selector: string) => figure.querySelector(selector)
    const actions = find('.rb-actions')
    const output = find('.rb-output')
    const code = find('.rb-code code')
    let program: Program
    if (!dataset.rbProgram) return
    try {
      program = JSON.parse(dataset.rbProgram)
    } catch {
      return
    }
    const entry = program.files?.[0]
    if (!actions || !output || !code || !entry) return

    const name = find('.rb-title')?.textContent || `${program.language} snippet ${index + 1}`
    const baked = [...output.childNodes]
    const bakedStatus = dataset.rbStatus
    const original = code.textContent!
    // The hidden setup: the first `visibleFromLine` lines of the entry file, kept when the code is edited.
    const setup = entry.content.split('\n').slice(0, program.visibleFromLine ?? 0).map((line) => line + '\n').join('')
    // Longer than any compile and run the server allows, plus queueing.
    const timeoutMs = (program.run_timeout ?? 3000) + (program.compile_timeout ?? 10_000) + 20_000
    let editor: HTMLTextAreaElement | undefined
    let inFlight: AbortController | undefined

    const settle = (view: Node[], status = bakedStatus) => {
      inFlight?.abort()
      inFlight = undefined
      output.removeAttribute('aria-busy')
      output.replaceChildren(...view)
      dataset.rbStatus = status
    }

    const run = async () => {
      inFlight?.abort()
      const controller = (inFlight = new AbortController())
      const visible = editor ? editor.value : code.textContent
      const { visibleFromLine, ...request } = program
      request.files = [{ ...entry, content: visible === original ? entry.content : setup + visible }, ...program.files.slice(1)]
      let stage = 0 // 1: the server answered, 2: the client gave up waiting
      const timer = setTimeout(() => {
        stage = 2
        controller.abort()
      }, timeoutMs)
      output.setAttribute('aria-busy', 'true')
      let view: HTMLElement
      let status = 'not-run'
      try {
        const started = Date.now()
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(request),
          signal: controller.signal,
        })
        stage ||= 1
        const answer = response.status
        if (response.ok) {
          const result: ExecuteResponse = await response.json()
          // As the build's client measures it: lets a timeout be told from an output-cap kill.
          result.elapsed_ms = Date.now() - started
          const context = { timeoutMs: program.run_timeout }
          view = toDom(outputView(result, context))
          status = blockStatus(describeOutcome(result, context), { expectedFailure: bakedStatus === 'expected-failure' })
        } else if (answer === 429) {
          const seconds = Number(response.headers.get('retry-after') || NaN) // An HTTP date gives NaN: "later".
          view = notice('rate-limited', `rate limited; try again ${seconds >= 0 ? `in ${formatDuration(Math.ceil(seconds) * 1000)}` : 'later'}`)
        } else if (answer === 413) view = notice('too-large', 'the program is too large for the server')
        else {
          // Piston's 400 says what is wrong in `message`; a proxy's error page says nothing useful.
          const message = await response.json().then((body) => body?.message, () => 0)
          view = notice(answer === 400 ? 'rejected' : 'error', `the server answered ${answer}${message ? `: ${message}` : ''}`)
        }
      } catch {
        view = notice(
          ['unreachable', 'error', 'timeout'][stage]!,
          [
            'the server could not be reached',
            "the server's answer was not understood",
            `no answer from the server within ${formatDuration(timeoutMs)}`,
          ][stage]!,
        )
      }
      clearTimeout(timer)
      // Otherwise a newer run, or Reset, owns the output area now.
      if (inFlight === controller) settle([view], status)
    }

    const button = (label: string, action: () => void) => {
      const element = document.createElement('button')
      element.type = 'button'
      element.textContent = label
      element.setAttribute('aria-label', `${label} ${name}`)
      element.onclick = action
      actions.append(element)
      return element
    }
    const pressed = (on: boolean) => edit.setAttribute('aria-pressed', `${on}`)

    /** Closes the editor; the code shown is `text`. */
    const close = (text: string) => {
      editor?.remove()
      editor = undefined
      code.textContent = text
      code.removeAttribute('hidden')
      pressed(false)
    }

    button('Run', run)
    const edit = button('Edit', () => {
      if (editor) return close(editor.value)
      const textarea = (editor = document.createElement('textarea'))
      const fit = () => (textarea.rows = textarea.value.split('\n').length)
      textarea.value = code.textContent!
      textarea.wrap = 'off'
      textarea.spellcheck = false
      textarea.setAttribute('aria-label', `Code of ${name}; Ctrl+Enter runs it`)
      textarea.oninput = fit
      textarea.onkeydown = (event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault()
          run()
        }
      }
      fit()
      code.setAttribute('hidden', '')
      code.after(textarea)
      pressed(true)
      textarea.focus()
    })
    pressed(false)
    button('Reset', () => {
      close(original)
      settle(baked)
    })
  })
}
