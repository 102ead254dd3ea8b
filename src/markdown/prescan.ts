import type { Code, Root, RootContent } from 'mdast'
import { VFile } from 'vfile'
import type { ExecuteRequest } from '../execution/types.js'
import { collectSnippets, infoParts } from './collect.js'
import { frontMatterLines } from './front-matter.js'

/** A line that could open a fence this tool runs: worth scanning the file at all. */
const RUN_FENCE = /^(?:`{3,}|~{3,})[^\n]*\brun\b/m
/** Fence-like lines a line scan cannot place for sure: indented fences, HTML blocks, templates (a Nunjucks comment too, closed: bash's `${#x}` is none). */
const UNSURE = /^ {1,3}(?:`{3,}|~{3,})|^<|\{\{|\{%|\{#[\s\S]*?#\}|\r/m
const OPENING = /^(`{3,}|~{3,})(.*)$/
const GAP: RootContent = { type: 'thematicBreak' }

/**
 * The requests of a post's run fences, found by a line scan rather than a
 * Markdown parse, so that a build can queue every job of the site before it
 * parses a single page. Built by the plugin's own `collectSnippets` from the
 * fences the scan found, so a request is byte for byte the one the page will
 * make. Only top-level fences at the first column are scanned; a file the
 * scan cannot read for sure (indented fences, HTML blocks, template syntax,
 * CR line ends, an unclosed fence) gives none, and its jobs start when its
 * page is parsed, as without a pre-scan.
 */
export function prescanRequests(source: string, maxRunTimeoutMs?: number): ExecuteRequest[] {
  if (!RUN_FENCE.test(source) || UNSURE.test(source)) return []
  const skipped = frontMatterLines(source)
  const lines = source.split('\n')
  const children: RootContent[] = []
  let open: { marker: string; line: number; info: string; body: string[] } | undefined
  let gap = false
  for (let i = skipped; i < lines.length; i++) {
    const line = lines[i]!
    if (open) {
      const closing = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line)
      if (closing && closing[1]![0] === open.marker[0] && closing[1]!.length >= open.marker.length) {
        const fence = codeNode(open.info, open.body, open.line, i + 1, line.length + 1)
        if (!fence) return []
        children.push(fence)
        open = undefined
      } else open.body.push(line)
      continue
    }
    const opening = OPENING.exec(line)
    if (opening && !(opening[1]![0] === '`' && opening[2]!.includes('`'))) {
      // Anything between two fences keeps them from being siblings (a stdin fence must follow its run fence).
      if (gap) children.push(GAP)
      gap = false
      open = { marker: opening[1]!, line: i + 1, info: opening[2]!, body: [] }
    } else if (line.trim() !== '') gap = true
  }
  if (open) return []
  const file = new VFile({ value: '\n'.repeat(skipped) + lines.slice(skipped).join('\n') })
  const tree: Root = { type: 'root', children }
  return collectSnippets(tree, file, maxRunTimeoutMs).snippets.flatMap((s) => (s.request ? [s.request] : []))
}

/** The mdast node remark makes of a fence; undefined when its language would need decoding. */
function codeNode(info: string, body: string[], startLine: number, endLine: number, endColumn: number): Code | undefined {
  const { lang, meta } = infoParts(info)
  if (lang && /[\\&]/.test(lang)) return undefined
  return {
    type: 'code',
    lang,
    meta,
    value: body.join('\n'),
    position: { start: { line: startLine, column: 1 }, end: { line: endLine, column: endColumn } },
  }
}
