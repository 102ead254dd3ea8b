import type { VFile } from 'vfile'

/** What a report says in place of a line that cannot be known. */
export const LINE_UNKNOWN = 'line unknown: rendered from a template'

/**
 * Moves a file's messages and snippet records from the lines of the text
 * that was parsed to the lines of the source file the author wrote, when a
 * template engine ran between them (Eleventy's Nunjucks or Liquid over a
 * Markdown page). `sourceLine` gives the source's line of a parsed line, or
 * undefined where it cannot be known: such a message loses its place and says
 * so, and such a record its line. Never a wrong line.
 */
export function relocate(file: VFile, sourceLine: (line: number) => number | undefined): void {
  for (const message of file.messages) {
    if (message.line === undefined) continue
    const line = sourceLine(message.line)
    if (line === undefined) {
      message.reason = message.message = `${message.reason} (${LINE_UNKNOWN})`
      message.line = message.column = message.place = undefined
      continue
    }
    const shift = line - message.line
    message.line = line
    const place = message.place
    if (place && 'start' in place) {
      message.place = { start: { ...place.start, line: place.start.line + shift }, end: { ...place.end, line: place.end.line + shift } }
    } else if (place) message.place = { ...place, line }
  }
  for (const record of file.data.snippets ?? []) record.line = record.line === undefined ? undefined : sourceLine(record.line)
}
