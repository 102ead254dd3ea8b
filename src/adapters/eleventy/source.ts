import { readFileSync } from 'node:fs'
import { diff } from '../../lazy-packages.js'
import { frontMatterLines } from '../../markdown/front-matter.js'

/**
 * Where the lines of a Markdown page's text, as a template engine left it,
 * are in its source file. Unchanged (no template syntax, or none that moved
 * a line): the front matter's lines come before it. Otherwise (a multi-line
 * comment, a tag, an include) each line is matched to the source by their
 * longest common sequence of lines; a line the template wrote maps to
 * nothing, so its problems say the line is not known rather than a wrong one.
 */
export function pageLines(path: string, text: string): { lineOffset: number; lineMap?: (line: number) => number | undefined } {
  let source: string
  try {
    source = readFileSync(path, 'utf8')
  } catch {
    return { lineOffset: 0 }
  }
  const lineOffset = frontMatterLines(source)
  // The usual case, without splitting the page: the text is the file after its front matter.
  if (source.endsWith(text) && bodyStart(source, lineOffset) === source.length - text.length) return { lineOffset }
  const body = source.split('\n').slice(lineOffset)
  const lines = text.split('\n')
  const map = new Map<number, number>()
  let from = lineOffset
  let to = 0
  for (const change of diff().diffArrays(body, lines)) {
    const count = change.value.length
    if (!change.added && !change.removed) for (let i = 1; i <= count; i++) map.set(to + i, from + i)
    if (!change.added) from += count
    if (!change.removed) to += count
  }
  return { lineOffset: 0, lineMap: (line) => map.get(line) }
}

/** Where line `skip` + 1 of `source` starts (its length when it has fewer lines). */
function bodyStart(source: string, skip: number): number {
  let at = 0
  for (let i = 0; i < skip; i++) {
    const end = source.indexOf('\n', at)
    if (end < 0) return source.length
    at = end + 1
  }
  return at
}
