/**
 * A content-collection entry's body, placed in its file. Astro's glob loader
 * (`src/content/**`, Starlight's `docs`) hands the Markdown processor the text
 * after the front matter, trimmed, so the processor's positions count from
 * the body's first line; a report must name the file's.
 */
import type { Nodes, Parent, Root } from 'mdast'
import { mayHoldFences } from '../../markdown/collect.js'

/** Where the body starts in its file: lines before it, the columns its first line lost to trimming, and characters before it. */
export interface BodyStart {
  lines: number
  columns: number
  offset: number
}

/**
 * Where `body` sits in `source` when it is the file's end, trimmed, after
 * something (front matter); undefined when it is the whole file (a page in
 * `src/pages`, whose front matter Astro blanks out in place) or not the
 * file's text at all.
 */
export function bodyStart(source: string, body: string): BodyStart | undefined {
  const text = source.trimEnd()
  const rest = body.trimEnd()
  if (rest.length >= text.length || !text.endsWith(rest)) return undefined
  const at = text.length - rest.length
  const lineStart = text.lastIndexOf('\n', at - 1) + 1
  const lines = text.slice(0, lineStart).split('\n').length - 1
  return at ? { lines, columns: at - lineStart, offset: at } : undefined
}

/**
 * A copy of the tree's block structure with the body's positions moved to the
 * file's, and each copy's original. Inline content, where no fence can be,
 * is shared, not copied (Sätteri builds its nodes as they are read).
 */
export function movedTree(tree: Root, start: BodyStart): { tree: Root; originals: Map<Nodes, Nodes> } {
  const originals = new Map<Nodes, Nodes>()
  const move = <T extends Nodes>(node: T): T => {
    if (!mayHoldFences(node)) return node
    // What the collector reads is named: Sätteri's nodes may keep fields out of their own properties.
    const fields = node.type === 'code' ? { lang: node.lang, meta: node.meta, value: node.value } : {}
    const position = node.position && { start: movePoint(node.position.start, start), end: movePoint(node.position.end, start) }
    const copy = { ...node, type: node.type, ...fields, position }
    if ('children' in node) (copy as Parent).children = (node as Parent).children.map(move) as Parent['children']
    originals.set(copy, node)
    return copy
  }
  return { tree: move(tree), originals }
}

function movePoint<P extends { line: number; column: number; offset?: number }>(point: P, { lines, columns, offset }: BodyStart): P {
  return {
    ...point,
    line: point.line + lines,
    column: point.line === 1 ? point.column + columns : point.column,
    offset: point.offset === undefined ? undefined : point.offset + offset,
  }
}
