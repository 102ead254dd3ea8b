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
