import type { Element, ElementContent, Parents, Root as HastRoot } from 'hast'
import type { Code, Root, RootContent } from 'mdast'
import { visit } from 'unist-util-visit'

/** Where a fence's `pre` sits in the hast tree. */
export interface PreSlot {
  parent: Parents
  index: number
}

/** The fences of a hast tree as the mdast collector reads them, and where each came from. */
export interface HastFences {
  /** Fences in document order; a placeholder stands between two that are not adjacent. */
  tree: Root
  slots: Map<Code, PreSlot>
  /** The first `pre` another highlighter already made, and which one: its fence's language and options are gone. */
  highlighted?: { by: string; position: Element['position'] }
}

/**
 * Turns every `pre > code` of a hast tree into the `code` node the Markdown
 * parser would have made: language from the class `language-x`, meta from
 * `code.data.meta` (remark-rehype, Astro and MDX keep it there), position from
 * the element. Two fences with only white space between them stay adjacent,
 * as a stdin or output fence after its run fence must be.
 */
export function hastFences(tree: HastRoot): HastFences {
  const children: RootContent[] = []
  const slots = new Map<Code, PreSlot>()
  let last: PreSlot | undefined
  let highlighted: HastFences['highlighted']
  visit(tree, 'element', (pre, index, parent) => {
    if (parent === undefined || index === undefined || pre.tagName !== 'pre') return
    const code = onlyCode(pre)
    if (!code) return
    const by = highlighter(pre, code, parent)
    if (by) {
      highlighted ??= { by, position: pre.position ?? code.position }
      return 'skip'
    }
    const node = fence(pre, code)
    if (children.length && !(last && last.parent === parent && parent.children.slice(last.index + 1, index).every(isBlank))) {
      children.push({ type: 'thematicBreak' })
    }
    children.push(node)
    last = { parent, index }
    slots.set(node, last)
    return 'skip'
  })
  return { tree: { type: 'root', children }, slots, highlighted }
}

/**
 * Which highlighter made this `pre`, if one did: Shiki (`@shikijs/rehype`,
 * Astro's) marks the `pre` with `shiki` or `astro-code`, rehype-pretty-code
 * and Expressive Code put `data-language` on it, and any other leaves
 * coloured spans in the code. A block of this package (or code it
 * highlighted) is not another's.
 */
function highlighter(pre: Element, code: Element, parent: Parents): string | undefined {
  if (pre.properties.dataRbHighlighted !== undefined) return undefined
  const classes = String(pre.properties.className ?? pre.properties.class ?? '').split(/[\s,]+/)
  if (classes.includes('astro-code')) return "Astro's Shiki"
  if (classes.includes('shiki')) return 'Shiki (@shikijs/rehype)'
  const attribute = (e: Element | Parents, name: string) => e.type === 'element' && (e.properties[name] !== undefined || e.properties[name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)] !== undefined)
  if (attribute(parent, 'dataRehypePrettyCodeFigure') || attribute(pre, 'dataRehypePrettyCodeFigure')) return 'rehype-pretty-code'
  if (attribute(pre, 'dataLanguage') || attribute(code, 'dataLanguage')) return 'a highlighter (rehype-pretty-code, Expressive Code)'
  if (code.children.some((child) => child.type === 'element')) return 'a highlighter'
  return undefined
}

function onlyCode(pre: Element): Element | undefined {
  const elements = pre.children.filter((c) => !isBlank(c))
  const [code] = elements
  return elements.length === 1 && code!.type === 'element' && code!.tagName === 'code' ? code : undefined
}

const isBlank = (node: Parents['children'][number]) => node.type === 'text' && !node.value.trim()

function fence(pre: Element, code: Element): Code {
  const className = code.properties.className
  const classes = Array.isArray(className) ? className.map(String) : String(className ?? '').split(/\s+/)
  const language = classes.find((c) => c.startsWith('language-'))?.slice('language-'.length)
  const data = code.data as { meta?: string; lang?: string } | undefined
  const meta = data?.meta ?? (typeof code.properties.metastring === 'string' ? code.properties.metastring : undefined)
  // The hast of a fence ends its text with the newline before the closing fence.
  const value = textOf(code).replace(/\r?\n$/, '')
  const node: Code = { type: 'code', lang: data?.lang ?? language ?? null, meta: meta || null, value }
  // A tree without positions (a processor that tracks none) still reports, at the file's start.
  node.position = pre.position ?? code.position ?? { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } }
  return node
}

function textOf(node: Element | ElementContent): string {
  if (node.type === 'text') return node.value
  return 'children' in node ? node.children.map(textOf).join('') : ''
}
