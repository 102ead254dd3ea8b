/**
 * Build-only: long output folded, so that a page stays short whatever a
 * program prints. Not in the shared view (view.ts), to keep the live
 * runner small: a live result is clipped to the server's output limit and
 * scrolls in a box of bounded height instead.
 */
import { node, type ViewNode } from './view.js'

/** Lines of a stream shown before the rest is folded into a `<details>`. */
export const FOLD_LINES = 20

/**
 * A stream (`pre.rb-stream.rb-<name>`, label first) of more than
 * `FOLD_LINES` lines as `div.rb-<name>.rb-folded`: its first lines in a
 * `pre.rb-stream`, the rest in `details.rb-fold > summary + pre.rb-stream`,
 * one click away without JavaScript. Shorter streams are returned as they are.
 */
export function foldStream(stream: ViewNode): ViewNode {
  const [label, ...content] = stream.children
  const parts: [ViewNode['children'], ViewNode['children']] = [[label!], []]
  let lines = 0
  for (const child of content) {
    const styled = typeof child !== 'string'
    for (const part of textOf(child).split(/(?<=\n)/)) {
      parts[lines < FOLD_LINES ? 0 : 1].push(styled ? node('span', child.classes, [part]) : part)
      if (part.endsWith('\n')) lines++
    }
  }
  const [head, rest] = parts
  if (!rest.length) return stream
  const restText = rest.map(textOf).join('')
  const more = restText.split('\n').length - (restText.endsWith('\n') ? 1 : 0)
  const name = stream.classes[1]!.slice('rb-'.length)
  return node('div', [`rb-${name}`, 'rb-folded'], [
    node('pre', ['rb-stream'], head),
    node('details', ['rb-fold'], [node('summary', [], [`${more} more ${more === 1 ? 'line' : 'lines'} of ${name}`], true), node('pre', ['rb-stream'], rest)]),
  ])
}

/** A stream's child: text, or an ANSI span holding text. */
const textOf = (child: ViewNode | string) => (typeof child === 'string' ? child : (child.children[0] as string))
