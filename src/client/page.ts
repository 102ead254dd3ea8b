/**
 * The one script a page with blocks loads (`<script defer>`), held to 1 KB
 * gzipped (test/browser/bundle.test.ts): the copy buttons and, where the
 * build had a live endpoint (`<meta name="runnable-endpoint"
 * data-runner="…">`), the Run, Edit and Reset buttons. The live runner
 * (live.ts) is a module of its own, imported when a reader's pointer or
 * focus comes to a block's buttons, or at the latest on a press, which it
 * then carries out: readers who never run anything never load it.
 *
 * Astro's client-side navigation (`<ClientRouter />`) swaps the body
 * without running a loaded script again and says so with `astro:page-load`:
 * the blocks are bound again then, each block once.
 */
import { bindCopy } from './copy.js'

type Bind = (figure: HTMLElement, endpoint: string) => Array<() => void>
let runner: Promise<{ default: Bind }> | undefined
const bound = new WeakSet<HTMLElement>()

const bindAll = () => {
  const meta = document.querySelector<HTMLMetaElement>('meta[name=runnable-endpoint]')
  for (const figure of document.querySelectorAll<HTMLElement>('figure.rb-snippet')) {
    if (bound.has(figure)) continue
    bound.add(figure)
    bindCopy(figure)
    const actions = figure.querySelector('.rb-actions')
    if (!meta || !actions || !figure.dataset.rbProgram) continue
    // Resolved against the page (an import() in a classic script would resolve against the script); a failed load is tried again next time.
    const load = () => (runner ??= import(new URL(meta.dataset.runner!, document.baseURI).href).catch((error) => ((runner = undefined), Promise.reject(error))))
    // The runner's handlers for Run, Edit and Reset, called on every press.
    let handlers: Promise<Array<() => void>> | undefined
    actions.querySelectorAll('button').forEach((button, i) => {
      button.onclick = () => (handlers ??= load().then((module) => module.default(figure, meta.content))).then((h) => h[i]!(), () => (handlers = undefined))
      button.hidden = false
    })
    for (const type of ['pointerover', 'focusin']) actions.addEventListener(type, () => load().catch(() => {}), { once: true })
  }
}

bindAll()
document.addEventListener('astro:page-load', bindAll)
