/**
 * Split a command line into arguments the way a POSIX shell does, minus
 * everything that would make it a program: no variables, globs, operators
 * or substitutions, so `$HOME`, `*` and `|` are plain characters.
 *
 * - whitespace separates arguments; adjacent pieces join (`a"b c"` is `ab c`)
 * - `'...'` is literal; `''` is an empty argument
 * - `"..."`: backslash escapes only `"`, `\`, `$`, `` ` `` and newline, as in sh
 * - outside quotes a backslash escapes any character
 *
 * On error, `offset` is the index in `text` of the offending quote or backslash.
 */
export function splitArgs(text: string): { args: string[] } | { error: string; offset: number } {
  const args: string[] = []
  let current = ''
  // Distinguishes "no argument yet" from an empty quoted argument.
  let inWord = false
  let i = 0

  while (i < text.length) {
    const ch = text[i]!
    if (/\s/.test(ch)) {
      if (inWord) args.push(current)
      current = ''
      inWord = false
      i++
      continue
    }
    // Backslash-newline is a line continuation: both disappear, even between words.
    if (ch === '\\' && text[i + 1] === '\n') {
      i += 2
      continue
    }
    inWord = true
    if (ch === "'") {
      const close = text.indexOf("'", i + 1)
      if (close === -1) return { error: "unterminated ' quote", offset: i }
      current += text.slice(i + 1, close)
      i = close + 1
    } else if (ch === '"') {
      const open = i
      i++
      for (;;) {
        if (i >= text.length) return { error: 'unterminated " quote', offset: open }
        const c = text[i]!
        if (c === '"') break
        const next = text[i + 1]
        if (c === '\\' && next !== undefined && '"\\$`\n'.includes(next)) {
          if (next !== '\n') current += next
          i += 2
        } else {
          current += c
          i++
        }
      }
      i++
    } else if (ch === '\\') {
      const next = text[i + 1]
      if (next === undefined) return { error: 'backslash at the end with nothing to escape', offset: i }
      current += next
      i += 2
    } else {
      current += ch
      i++
    }
  }
  if (inWord) args.push(current)
  return { args }
}
