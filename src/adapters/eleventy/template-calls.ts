/**
 * The calls of a paired shortcode in a Liquid or Nunjucks template's source,
 * found without running the template, each with the line and column where it
 * is written: how a call Eleventy makes (which carries no position) is placed,
 * and how the CLI sees the snippets a site's templates hold.
 */
import { holdsTemplateSyntax, TEMPLATE_SYNTAX } from '../../markdown/template-syntax.js'

/** One argument of a call, as written. */
export interface CallArgument {
  text: string
  /** A literal (string, number, boolean) whose value is known without running the template. */
  literal: boolean
  value?: unknown
  line: number
  column: number
}

export interface TemplateCall {
  /** Where the opening tag's `{%` is. */
  line: number
  column: number
  args: CallArgument[]
  /** The line of the body's first line of code: the opening tag's own when the body starts on it. */
  codeLine: number
  /** The body as the engine hands it to the shortcode, when it holds no template syntax. */
  body: string
  /** Arguments or body hold template syntax: what the engine passes may differ from the text. */
  templated: boolean
  /** Inside a loop, condition, macro or overridable block: it may run any number of times, or never. */
  controlled: boolean
  /** Whether a body the engine passed can come from this call (template syntax matches anything). */
  bodyMatches(body: string): boolean
}

export interface TemplateScan {
  calls: TemplateCall[]
  /** Names of the templates it includes, imports or extends; `*` for a name computed at render time. */
  references: string[]
  /** Paired tags that are neither the engines' own nor the shortcode: a renamed or wrapping shortcode could run snippets there. */
  unknownPairs: Array<{ name: string; line: number; column: number }>
}

/** Blocks whose content may run several times or not at all. */
const CONTROL = new Set(['for', 'if', 'unless', 'case', 'macro', 'block', 'tablerow', 'call', 'filter', 'each', 'asyncEach', 'asyncAll', 'switch'])
/** The engines' paired tags, and those of Eleventy's own plugins (render, syntax highlighting), which run no snippet themselves. */
const BUILT_IN_PAIRS = new Set([...CONTROL, 'set', 'capture', 'raw', 'verbatim', 'comment', 'autoescape', 'renderTemplate', 'highlight'])
/** Blocks whose content is not template code. */
const LITERAL_BLOCKS = new Set(['raw', 'verbatim', 'comment'])
const REFERENCES = new Set(['include', 'render', 'import', 'from', 'extends', 'layout', 'renderFile'])

/** A tag, a comment or an output: what a scan steps over. */
const SYNTAX = /\{%(-?)\s*(end)?([\w-]*)([\s\S]*?)(-?)%\}|\{#[\s\S]*?#\}|\{\{[\s\S]*?\}\}/g

/** `knownPairs`: the site's own paired tags besides the engines' that run no snippet (its bundles, `{% css %}`). */
export function scanTemplate(source: string, shortcode: string, knownPairs: readonly string[] = []): TemplateScan {
  const scan: TemplateScan = { calls: [], references: [], unknownPairs: [] }
  if (!source.includes('{')) return scan
  const position = positions(source)
  const closed = new Set([...source.matchAll(/\{%-?\s*end([\w-]+)/g)].map((m) => m[1]!))
  const open: string[] = []
  const pairsSeen = new Set<string>()
  SYNTAX.lastIndex = 0
  for (let m = SYNTAX.exec(source); m; m = SYNTAX.exec(source)) {
    const [tag, , end, name = '', rest = '', trimAfter] = m
    if (!tag.startsWith('{%') || !name) continue
    if (end) {
      const at = open.lastIndexOf(name)
      if (at >= 0) open.length = at
      continue
    }
    const endTag = new RegExp(`\\{%(-?)\\s*end${name}\\s*(-?)%\\}`, 'g')
    if (LITERAL_BLOCKS.has(name)) {
      endTag.lastIndex = SYNTAX.lastIndex
      if (!endTag.exec(source)) break
      SYNTAX.lastIndex = endTag.lastIndex
    } else if (name === shortcode) {
      endTag.lastIndex = SYNTAX.lastIndex
      const close = endTag.exec(source)
      if (!close) continue
      let body = source.slice(SYNTAX.lastIndex, close.index)
      // Where the code starts: after what `-%}` trims, or after the line break shortcodeCode drops.
      const codeStart = SYNTAX.lastIndex + (trimAfter ? body.length - body.trimStart().length : (/^\r?\n/.exec(body)?.[0].length ?? 0))
      if (trimAfter) body = body.trimStart()
      if (close[1]) body = body.trimEnd()
      const args = readArguments(rest, m.index + tag.length - 2 - trimAfter!.length - rest.length, position)
      const templated = args.some((a) => !a.literal) || holdsTemplateSyntax(body)
      scan.calls.push({ ...position(m.index), args, codeLine: position(codeStart).line, body, templated, controlled: open.some((o) => CONTROL.has(o)), bodyMatches: bodyMatcher(body) })
      SYNTAX.lastIndex = endTag.lastIndex
    } else {
      if (REFERENCES.has(name)) scan.references.push(referenceName(rest))
      // `{% set x = 1 %}` has no end; `{% set x %}…{% endset %}` does.
      if (closed.has(name) && !(name === 'set' && rest.includes('='))) {
        open.push(name)
        if (!BUILT_IN_PAIRS.has(name) && !knownPairs.includes(name) && !pairsSeen.has(name)) {
          pairsSeen.add(name)
          scan.unknownPairs.push({ name, ...position(m.index) })
        }
      }
    }
  }
  return scan
}

/** Line and column (from 1) of an offset. */
function positions(source: string): (offset: number) => { line: number; column: number } {
  const starts = [0]
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1)
  return (offset) => {
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if (starts[mid]! <= offset) low = mid
      else high = mid - 1
    }
    return { line: low + 1, column: offset - starts[low]! + 1 }
  }
}

const LITERAL = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(true|false)|(-?\d+(?:\.\d+)?))$/

/** The arguments of `{% name a, b, c %}` (commas or spaces between them, as Eleventy's Liquid shortcodes allow). */
function readArguments(text: string, offset: number, position: (offset: number) => { line: number; column: number }): CallArgument[] {
  const args: CallArgument[] = []
  // A piece is a quoted string or a run of characters up to a comma or space outside brackets.
  const piece = /\s*,?\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|(?:[^\s,"'([]|\([^)]*\)|\[[^\]]*\]|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')+)/g
  for (let m = piece.exec(text); m && m[1]; m = piece.exec(text)) {
    const raw = m[1]
    const literal = LITERAL.exec(raw)
    const at = position(offset + m.index + m[0].length - raw.length)
    if (!literal) args.push({ text: raw, literal: false, ...at })
    else {
      const [, double, single, bool, number] = literal
      const value = double !== undefined || single !== undefined ? unescape(double ?? single!) : bool !== undefined ? bool === 'true' : Number(number)
      args.push({ text: raw, literal: true, value, ...at })
    }
  }
  // A filter or an operator makes the split above a guess: the call is then templated.
  if (args.some((a) => !a.literal) && /\||\bor\b|\band\b|[+*/%?<>=]/.test(text)) args.forEach((a) => (a.literal = false))
  return args
}

const unescape = (text: string) => text.replace(/\\(.)/g, '$1')

/** `{% include "a.njk" %}` → `a.njk`; a computed name → `*`. */
function referenceName(text: string): string {
  const m = /^\s*(?:"([^"{}]*)"|'([^'{}]*)'|([\w./-]+\.\w+))(?=[\s,]|$)/.exec(text)
  return m ? (m[1] ?? m[2] ?? m[3]!) : '*'
}

function bodyMatcher(body: string): (text: string) => boolean {
  const parts = body.split(TEMPLATE_SYNTAX)
  if (parts.length === 1) return (text) => text === body
  // Whitespace beside template syntax may be trimmed by it (`{%-`), so it is optional there.
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const pattern = parts.map((part, i) => escape(trimSides(part, i, parts.length))).join('\\s*[\\s\\S]*?\\s*')
  const regex = new RegExp(`^${pattern}$`)
  return (text) => regex.test(text)
}

function trimSides(part: string, index: number, count: number): string {
  let text = part
  if (index > 0) text = text.trimStart()
  if (index < count - 1) text = text.trimEnd()
  return text
}
