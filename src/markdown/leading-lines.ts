/**
 * A host puts the front matter it removed back as blank lines, so that every
 * position names the line in the real file. Blank lines at the start of a
 * document parse to nothing, yet micromark tokenizes each one: on posts with
 * long front matter (contributor lists of hundreds of lines) that was 4-7%
 * of a page's render. This wraps the parser (use it after remark-parse) to parse
 * from the first other line and move the tree's positions down instead: the
 * tree is the one the whole text gives.
 */
import type { Nodes, Root } from 'mdast'
import type { Processor } from 'unified'

/**
 * Moving a post's positions costs about what parsing a dozen blank lines does
 * (measured on the bench's posts), so fewer are parsed as they are.
 */
const WORTH_SKIPPING = 16

export default function skipLeadingNewlines(this: Processor) {
  const parse = this.parser
  if (!parse) throw new Error('skipLeadingNewlines: use it after remark-parse')
  this.parser = (document, file) => {
    let lines = 0
    while (document.charCodeAt(lines) === 10) lines++
    if (lines < WORTH_SKIPPING) return parse(document, file)
    const tree = parse(document.slice(lines), file) as Root
    moveDown(tree, lines)
    // The whole text's tree starts at its first (blank) line.
    if (tree.position) tree.position.start = { line: 1, column: 1, offset: 0 }
    return tree
  }
}

/** Adds `lines` to every line and offset of the tree (each newline is one character). */
function moveDown(node: Nodes, lines: number): void {
  const at = node.position
  if (at) {
    at.start.line += lines
    at.end.line += lines
    if (at.start.offset !== undefined) at.start.offset += lines
    if (at.end.offset !== undefined) at.end.offset += lines
  }
  if ('children' in node) for (const child of node.children) moveDown(child, lines)
}
