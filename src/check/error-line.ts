/**
 * Finds the place in the entry file that an interpreter's error message
 * names, so a report can point into the Markdown file rather than at the
 * fence: a 1-based line of the entry file as the server ran it, and the
 * column where the tool names one (a compiler's error, a Node frame).
 */
export function errorPlace(language: string, stderr: string, entryName: string, argCount = 0): { line: number; column?: number } | undefined {
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
  const places = [...stderr.matchAll(pattern)].map((m) => ({ line: Number(m[1]), column: m[2] === undefined ? undefined : Number(m[2]) }))
  // Python's innermost frame is last; the others name the failing line first (Node: its column in the first frame there).
  const place = language === 'python' ? places.at(-1) : places[0]
  if (place === undefined) return undefined
  if (language === 'sqlite3') return { line: place.line - SQLITE_WRAPPER_LINES - argCount }
  return { line: place.line, column: place.column ?? places.find((p) => p.line === place.line && p.column !== undefined)?.column }
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
