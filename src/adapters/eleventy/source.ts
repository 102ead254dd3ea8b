import { readFileSync } from 'node:fs'

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

/** Lines of a fence in the Markdown a library parsed, from 1, both included. */
export interface LineRange {
  start: number
  end: number
}

/**
 * Where the lines of the Markdown that Eleventy hands its library (a page's
 * body after Liquid or Nunjucks ran over it) are in the source file at
 * `path`. When the body is the file's text as written (the usual case), every
 * line is the file's, front matter counted. Otherwise each fence in `fences`
 * is looked for in the file: its whole text, else its code alone, where it is
 * written exactly once and the page has it once (a comment or tag above it
 * moved it). Any other line is unknown: undefined, never a guess.
 */
export function sourceLineMap(path: string, markdown: string, fences: LineRange[]): (line: number) => number | undefined {
  let source: string
  try {
    source = readFileSync(path, 'utf8')
  } catch {
    return () => undefined
  }
  if (source.endsWith(markdown)) {
    const offset = source.slice(0, source.length - markdown.length).split('\n').length - 1
    return (line) => line + offset
  }
  const written = source.split(/\r?\n/)
  const rendered = markdown.split(/\r?\n/)
  const shifts = fences.map((range) => ({ ...range, shift: shiftOf(range, rendered, written) }))
  return (line) => {
    const range = shifts.find((r) => line >= r.start && line <= r.end)
    return range?.shift === undefined ? undefined : line + range.shift
  }
}

/** How far the file's copy of a fence is from the rendered one: by its whole text, else by its code (the lines between its fence lines). */
function shiftOf({ start, end }: LineRange, rendered: string[], written: string[]): number | undefined {
  const whole = rendered.slice(start - 1, end)
  const at = onlyPlace(whole, written, rendered)
  if (at !== undefined) return at + 1 - start
  const code = rendered.slice(start, end - 1)
  const codeAt = code.some((line) => line.trim()) ? onlyPlace(code, written, rendered) : undefined
  return codeAt === undefined ? undefined : codeAt - start
}

/** The index in `written` where `lines` are, when they are there once and in `rendered` once too. */
function onlyPlace(lines: string[], written: string[], rendered: string[]): number | undefined {
  const places = indexesOf(lines, written)
  return places.length === 1 && indexesOf(lines, rendered).length === 1 ? places[0] : undefined
}

function indexesOf(lines: string[], within: string[]): number[] {
  const found: number[] = []
  for (let i = 0; i + lines.length <= within.length; i++) {
    if (lines.every((line, j) => within[i + j] === line)) found.push(i)
  }
  return found
}
