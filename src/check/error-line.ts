/**
 * A place in the entry file: its 1-based line, and the column where the tool
 * names one (a compiler's error, a Node frame, Python's carets). Python
 * prints the line without its indent and counts its carets from there:
 * `pastIndent` says the column is counted past the line's own indent.
 */
export interface ErrorPlace {
  line: number
  column?: number
  pastIndent?: true
}

/**
 * Finds the place in the entry file that an interpreter's error message
 * names, so a report can point into the Markdown file rather than at the
 * fence.
 */
export function errorPlace(language: string, stderr: string, entryName: string, argCount = 0): ErrorPlace | undefined {
  const name = escapeRegExp(entryName)
  const patterns: Record<string, RegExp> = {
    // Traceback frames, innermost last; SyntaxError reports use the same form.
    python: new RegExp(`File "(?:[^"]*/)?${name}", line (\\d+)`, 'g'),
    bash: new RegExp(`(?:^|/)${name}: line (\\d+):`, 'gm'),
    // Node prints "path/main.js:2" first, then "at … (path/main.js:2:7)" frames (a cached answer has no job folder: "(main.js:2:7)").
    javascript: new RegExp(`(?:^|[/(])${name}:(\\d+)(?::(\\d+))?`, 'gm'),
    sqlite3: /(?:near|at) line (\d+)/g,
    // Piston 3.1.1's gcc script appends .c / .cpp to every file name: main.c is compiled as main.c.c.
    c: new RegExp(`^(?:.*/)?${name}(?:\\.c)?:(\\d+):(\\d+): (?:fatal )?error:`, 'gm'),
    'c++': new RegExp(`^(?:.*/)?${name}(?:\\.cpp)?:(\\d+):(\\d+): (?:fatal )?error:`, 'gm'),
  }
  const pattern = patterns[language]
  if (!pattern) return undefined
  const matches = [...stderr.matchAll(pattern)]
  if (language === 'python') {
    // The innermost frame of the entry file is its last.
    const frame = matches.at(-1)
    return frame && { line: Number(frame[1]), ...caretColumn(stderr.slice(frame.index + frame[0].length)) }
  }
  const places = matches.map((m) => ({ line: Number(m[1]), column: m[2] === undefined ? undefined : Number(m[2]) }))
  // The first names the failing line (Node: its column in the first frame there).
  const place = places[0]
  if (place === undefined) return undefined
  if (language === 'sqlite3') return { line: place.line - SQLITE_WRAPPER_LINES - argCount }
  return { line: place.line, column: place.column ?? places.find((p) => p.line === place.line && p.column !== undefined)?.column }
}

/**
 * Python 3.11+ prints, under a frame, its line without the indent at four
 * spaces, then carets under the failing part (none when it is the whole
 * line): the column past the indent where they start.
 */
function caretColumn(afterFrame: string): Pick<ErrorPlace, 'column' | 'pastIndent'> {
  const carets = /^.*\n {4}\S.*\n {4}( *)[~^]+ *(?:\n|$)/.exec(afterFrame)
  return carets ? { column: carets[1]!.length + 1, pastIndent: true } : {}
}

/**
 * Piston's sqlite3 runner feeds the program after lines of its own (an
 * `argv` table, one insert per argument, a blank line), so "near line 4"
 * means line 2 of a snippet without args (piston-recordings/sqlite3-error-line.json).
 */
const SQLITE_WRAPPER_LINES = 2

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
