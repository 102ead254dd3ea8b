import { readFileSync } from 'node:fs'
import { frontMatterLines } from '../../markdown/front-matter.js'

/** `frontMatterLines` of the file at `path`; 0 when it cannot be read (a virtual template). */
export function frontMatterLinesOf(path: string): number {
  try {
    return frontMatterLines(readFileSync(path, 'utf8'))
  } catch {
    return 0
  }
}

/**
 * The line (from 1) where `body` starts in the file at `path`, or undefined:
 * how a paired shortcode's report finds its place.
 */
export function lineOfText(path: string, body: string): number | undefined {
  let source: string
  try {
    source = readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
  const at = source.indexOf(body)
  return at < 0 ? undefined : source.slice(0, at).split('\n').length
}
