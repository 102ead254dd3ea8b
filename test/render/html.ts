import type { Element } from 'hast'
import rehypeStringify from 'rehype-stringify'
import { unified } from 'unified'

/** Serialises an element the way the site build does. */
export function toHtml(element: Element): string {
  return unified().use(rehypeStringify).stringify({ type: 'root', children: [element] })
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

/** Decodes the character references the serializer emits; fails on any other. */
export function decodeEntities(html: string): string {
  return html.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (_, ref: string) => {
    if (ref.startsWith('#x') || ref.startsWith('#X')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16))
    if (ref.startsWith('#')) return String.fromCodePoint(Number(ref.slice(1)))
    const named = NAMED[ref]
    if (named === undefined) throw new Error(`unexpected reference &${ref};`)
    return named
  })
}

/**
 * The text content of a fragment of serialised HTML that contains no raw
 * `<` in text (which the tests assert separately).
 */
export function textContent(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ''))
}

/** The inner HTML of the first element with the given opening tag. */
export function inner(html: string, openingTag: string, tagName: string): string {
  const start = html.indexOf(openingTag)
  if (start === -1) throw new Error(`no ${openingTag} in ${html}`)
  const from = start + openingTag.length
  return html.slice(from, html.indexOf(`</${tagName}>`, from))
}
