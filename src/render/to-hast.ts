/**
 * Build-only: view nodes and whole snippet blocks as hast. Program output
 * reaches the tree only as text nodes and attribute values, which the
 * serializer escapes. Class names are documented in styles.css.
 */
import type { Element, ElementContent, Properties } from 'hast'
import type { ExecuteRequest, ExecuteResponse } from '../execution/types.js'
import { plainText } from './ansi.js'
import { foldStream } from './fold.js'
import { type Highlight, HIGHLIGHTED_ATTRIBUTE } from './highlight.js'
import { describeOutcome, type Outcome, type OutcomeContext } from './outcome.js'
import { blockStatus, noticeView, outputView, streamView, type ViewNode } from './view.js'

function element(tagName: string, properties: Properties, children: ElementContent[]): Element {
  return { type: 'element', tagName, properties, children }
}

/** Words of ours, as a view node's `ours` (view.ts): the buttons and the footer too. */
const OURS = { dataPagefindIgnore: '' }

/** A button baked hidden, for a script to show once it has made it work. */
const button = (label: string, properties: Properties) => element('button', { type: 'button', hidden: true, ...properties }, [{ type: 'text', value: label }])

export function viewToHast(node: ViewNode): Element {
  const properties: Properties = node.classes.length ? { className: [...node.classes] } : {}
  if (node.ours) Object.assign(properties, OURS)
  const children = node.children.map((child): ElementContent =>
    typeof child === 'string' ? { type: 'text', value: child } : viewToHast(child),
  )
  // The HTML parser drops a newline right after `<pre>`; a DOM built by the browser would keep it.
  const first = children[0]
  if (node.tag === 'pre' && first?.type === 'text' && first.value.startsWith('\n')) first.value = `\n${first.value}`
  return element(node.tag, properties, children)
}

/** A block's program for the live runner (src/client/live.ts). */
export interface LiveProgram {
  /** The request as baked, sent again as it is: `data-rb-program`. */
  request: ExecuteRequest
  /** Characters of hidden setup before the visible code in the entry file: `data-rb-setup`. */
  setup: number
  /** Which snippet, for the buttons' labels ("Run Greeting"): `data-rb-name`. */
  name: string
  /** The limits a run of it is under, all given, for the same words as the build's: `data-rb-limits`. */
  limits: Required<OutcomeContext>
  /** The outcomes the fence declares (src/check/expectations.ts), space-separated: `data-rb-expect`. */
  accepted: string[]
}

export interface SnippetBlockInput {
  /** Element id, e.g. "snippet-3". */
  id?: string
  title?: string
  /** As written in the fence, for the class `language-<lang>`. */
  language: string
  /** What the reader sees (hidden or prepended code excluded). */
  code: string
  /** The fence's meta as written, kept on the `code` element's `data.meta` for a host's highlighter. */
  meta?: string
  /** Colours the code (and a stdin fence); plain text without it. */
  highlight?: Highlight
  /** Lines of `code` (from 1) to mark, from the fence's `{2-4}`. */
  marked?: ReadonlySet<number>
  /** The entry file's name, shown when the author chose it or the program has more files. */
  fileName?: string
  /** Shown as a small "stdin" block when given, coloured as `stdinLanguage`, with its `stdinMarked` lines marked. */
  stdin?: string
  stdinLanguage?: string
  stdinMarked?: ReadonlySet<number>
  /** Absent when the snippet could not run or was skipped. */
  response?: ExecuteResponse
  /** How `response` ended, judged under the job's limits; by Piston's default limits when absent. */
  outcome?: Outcome
  /** E.g. skipped, not run. */
  notice?: { kind: string; text: string }
  /** E.g. "python 3.11.2". */
  runtime?: string
  /** The result came from this machine's interpreters (`--engine local`), not from Piston: the footer says so. */
  localEngine?: boolean
  /** What the browser needs to re-run the snippet; absent when it may not be re-run. */
  live?: LiveProgram
  /** A declared failure that happened: styled calmly, not as an error. */
  expectedFailure?: boolean
  /** What the result did not meet, in words ("stdout does not match the output fence"): said in the block, which counts as failed. */
  unmet?: string[]
  /** Errors in the fence as written, each said in the block ("✗ file "a.py" is already declared at line 3"); without a notice, the block counts as failed. */
  problems?: string[]
}

/**
 * The program as JSON for `data-rb-program`. The serializer escapes quotes
 * and ampersands; `<`, `>` and `&` also become JSON escapes (they can only
 * occur inside strings), so that no program text looks like a tag even in
 * the raw attribute, and so do the characters XML 1.0 does not allow
 * (U+FFFE, U+FFFF, surrogates, which JSON.stringify leaves as they are), so
 * that a feed carrying the block stays well-formed.
 */
function programAttribute(program: ExecuteRequest): string {
  return JSON.stringify(program).replace(/[<>&\ufffe\uffff\ud800-\udfff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/**
 * `figure.rb-snippet[data-rb-status]` with title, code, stdin, output area
 * and a footer whose `.rb-actions` row reserves room for the browser's buttons.
 */
export function snippetBlock(input: SnippetBlockInput): Element {
  const outcome = input.response && (input.outcome ?? describeOutcome(input.response))
  const properties: Properties = {
    className: ['rb-snippet'],
    dataRbStatus: input.unmet?.length || (input.problems?.length && !input.notice) ? 'failed' : blockStatus(outcome, { noticeKind: input.notice?.kind, expectedFailure: input.expectedFailure }),
  }
  if (input.id) properties.id = input.id
  const { live } = input
  if (live) {
    Object.assign(properties, {
      dataRbProgram: programAttribute(live.request),
      dataRbSetup: live.setup,
      dataRbName: plainText(live.name),
      dataRbLimits: JSON.stringify(live.limits),
      dataRbExpect: live.accepted.join(' '),
    })
  }

  const children: Element[] = []
  if (input.title) {
    children.push(element('figcaption', { className: ['rb-title'] }, [{ type: 'text', value: plainText(input.title) }]))
  }
  children.push(codeBox(input))
  if (input.stdin) {
    const stdin = viewToHast(streamView(input.stdin, 'stdin'))
    if (input.highlight && input.stdinLanguage && stdin.tagName === 'pre') stdin.children.splice(1, Infinity, ...input.highlight(input.stdin, input.stdinLanguage, input.stdinMarked))
    children.push(stdin)
  }

  const output: ViewNode[] = []
  if (input.notice) output.push(noticeView(input.notice.kind, input.notice.text))
  for (const text of input.problems ?? []) output.push(noticeView('invalid', `✗ ${text}`))
  for (const text of input.unmet ?? []) output.push(noticeView('unexpected', `✗ ${text}`))
  if (input.response) {
    const result = outputView(input.response, outcome)
    result.children = result.children.map((child) => (typeof child !== 'string' && child.tag === 'pre' ? foldStream(child) : child))
    output.push(result)
  }
  // Left to right and isolated: no text a program prints reorders anything around it.
  children.push(element('div', { className: ['rb-output'], ariaLive: 'polite', dir: 'ltr' }, output.map(viewToHast)))

  if (input.runtime || live) {
    // Always there with live buttons: a live run says here that it ran just now.
    const ran: ElementContent[] = input.runtime ? [{ type: 'text', value: `ran at build time with ${plainText(input.runtime)}` }] : []
    // The page never claims that Piston ran what this machine ran (in the reader's words, not the CLI's).
    if (input.runtime && input.localEngine) {
      ran.push({ type: 'text', value: ' on the build machine' })
    }
    const footer = [element('p', { className: ['rb-runtime'] }, ran)]
    if (live) {
      // Hidden until the live runner makes them work; labelled here, so the script need not.
      const name = plainText(live.name)
      const buttons = ['Run', 'Edit', 'Reset'].map((label) => button(label, { ariaLabel: `${label} ${name}`, ...(label === 'Edit' && { ariaPressed: 'false' }) }))
      footer.push(element('div', { className: ['rb-actions'] }, buttons))
    }
    children.push(element('div', { className: ['rb-footer'], ...OURS }, footer))
  }
  return element('figure', properties, children)
}

/** What `codeBox` shows: code in a language, maybe coloured, with its line marks, meta and file name. */
export type CodeBoxInput = Pick<SnippetBlockInput, 'language' | 'code' | 'meta' | 'highlight' | 'marked' | 'fileName'>

/**
 * `div.rb-codebox`: the file name (`p.rb-filename`) when given, and
 * `pre.rb-code > code.language-X`. Highlighted code is marked on the `pre`
 * (`data-rb-highlighted`, class `rb-hl`) so that a host's highlighter
 * leaves it alone; plain code stays plain text for one that does not.
 * The copy button goes into the box, over its corner.
 */
function codeBox({ language, code, meta, highlight, marked, fileName }: CodeBoxInput): Element {
  const text = plainText(code)
  const codeElement = element('code', { className: [`language-${language}`] }, highlight ? highlight(text, language, marked) : [{ type: 'text', value: text }])
  if (meta) codeElement.data = { meta }
  const pre = element('pre', highlight ? { className: ['rb-code', 'rb-hl'], [HIGHLIGHTED_ATTRIBUTE]: '' } : { className: ['rb-code'] }, [codeElement])
  const copy = button('Copy', { className: ['rb-copy'], ariaLive: 'polite', ...OURS })
  const children = fileName ? [element('p', { className: ['rb-filename'] }, [{ type: 'text', value: plainText(fileName) }]), pre, copy] : [pre, copy]
  return element('div', { className: ['rb-codebox'] }, children)
}

/** An extra file shown in the page (`file=util.py`): `figure.rb-snippet.rb-file` with its name and code. */
export function fileBlock(input: CodeBoxInput & { fileName: string }): Element {
  return element('figure', { className: ['rb-snippet', 'rb-file'] }, [codeBox(input)])
}
