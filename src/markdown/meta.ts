/**
 * Tokenizer for a fence's meta string, the text after the language on the
 * opening fence line: ```` ```python run title="Hello, world" ````.
 *
 * Grammar, shell-like: whitespace-separated items, each `key`, `key=value`,
 * `key="..."` (escapes: `\"`, `\\`, and `\n` and `\t` for a newline and
 * a tab, as in `stdin="Alice\n3 4"`; any other backslash is kept, so most
 * Windows paths and regexes survive), `key='...'` (literal) or `key=`
 * (empty value). Unquoted values are literal up to the next whitespace and
 * may contain `=`. Keys are ASCII letters, digits, `-` and `_`.
 *
 * Host highlighters' own items are read whole, spaces included: line ranges
 * `{2-4}` (token key `{}`, the text inside the braces as value), word
 * patterns `/print/` (key `//`, the item as value), text markers
 * `"print"` or `'print'` (Expressive Code's; key `""`, the text as value),
 * and braces in a value (`mark={1, 3}`).
 *
 * Offsets are UTF-16 indices into the meta string, end exclusive. An item
 * with an error yields no token, so validation never sees half-read values,
 * and tokenizing resumes at the next item so that every error is reported.
 */

export interface MetaToken {
  key: string
  /** `true` for a bare flag (`run`); a string, possibly empty, after `=`. */
  value: string | true
  /** Span of the whole item, `key=value` included. */
  start: number
  end: number
}

export interface MetaError {
  message: string
  start: number
  end: number
}

/** What a backslash and the next character mean inside `"..."`. */
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t' }

const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch)
const isQuote = (ch: string | undefined) => ch === '"' || ch === "'"
/** Typographic opening quotes, and the marks that may close each (English, German, French usage). */
const CURLY: Record<string, string> = { '“': '”', '‘': '’', '„': '“”', '«': '»', '‚': '‘’' }
const NOT_KEY_CHAR = /[^A-Za-z0-9_-]/u

/** One piece of a value word: a quoted string or a run of unquoted text. */
interface Piece {
  text: string
  quoted: boolean
  start: number
  end: number
}

export function tokenizeMeta(meta: string): { tokens: MetaToken[]; errors: MetaError[] } {
  const tokens: MetaToken[] = []
  const errors: MetaError[] = []
  let i = 0

  /** Read a quoted string starting at `i`; null when it never closes. */
  const readQuoted = (): Piece | null => {
    const start = i
    const quote = meta[i]
    let text = ''
    i++
    while (i < meta.length) {
      const ch = meta[i]!
      if (ch === quote) {
        i++
        return { text, quoted: true, start, end: i }
      }
      const escaped = quote === '"' && ch === '\\' ? ESCAPES[meta[i + 1]!] : undefined
      if (escaped !== undefined) {
        text += escaped
        i += 2
      } else {
        text += ch
        i++
      }
    }
    return null
  }

  /**
   * Read the value word starting at `i` as a list of pieces, up to the next
   * whitespace. Returns null after reporting an unterminated quote, which
   * swallows the rest of the meta string (so tokenizing ends there).
   */
  const readWord = (what: string): Piece[] | null => {
    const pieces: Piece[] = []
    while (i < meta.length && !isSpace(meta[i])) {
      const closers = CURLY[meta[i]!]
      let closeAt = closers === undefined ? meta.length : i + 1
      while (closeAt < meta.length && !closers!.includes(meta[closeAt]!)) closeAt++
      if (closeAt < meta.length) {
        // Pasted prose, or an editor's smart quotes: read as the quoted value meant, and say why it is not one.
        errors.push({ message: `typographic quotes around ${what}; quote it with " or '`, start: i, end: closeAt + 1 })
        pieces.push({ text: meta.slice(i + 1, closeAt), quoted: true, start: i, end: closeAt + 1 })
        i = closeAt + 1
      } else if (isQuote(meta[i])) {
        const start = i
        const piece = readQuoted()
        if (!piece) {
          errors.push({ message: `unterminated ${meta[start]} quote in ${what}`, start, end: meta.length })
          return null
        }
        pieces.push(piece)
      } else {
        const start = i
        while (i < meta.length && !isSpace(meta[i]) && !isQuote(meta[i])) i = meta[i] === '{' ? closing(i, '}') : i + 1
        pieces.push({ text: meta.slice(start, i), quoted: false, start, end: i })
      }
    }
    return pieces
  }

  /**
   * A value is one piece. Shell would glue `"a"b` into `ab`, but here that
   * is almost always a missing space or a half-quoted value, so say so.
   */
  const checkGlued = (pieces: Piece[], what: string): boolean => {
    const [first, second] = pieces
    if (!first || !second) return true
    const end = pieces[pieces.length - 1]!.end
    const message = first.quoted
      ? `unexpected text right after the closing quote of ${what}; add a space or quote the whole value`
      : `quote in the middle of ${what}; quote the whole value`
    errors.push({ message, start: second.start, end })
    return false
  }

  /** Just past the `close` that ends the item opened at `at`, or past the end of the meta string. */
  const closing = (at: number, close: string) => {
    const end = meta.indexOf(close, at + 1)
    return end < 0 ? meta.length : end + 1
  }

  while (i < meta.length) {
    if (isSpace(meta[i])) {
      i++
      continue
    }
    const start = i
    if (meta[i] === '{' || meta[i] === '/') {
      const brace = meta[i] === '{'
      i = closing(i, brace ? '}' : '/')
      if (!meta.slice(start + 1, i).endsWith(brace ? '}' : '/')) {
        errors.push({ message: `unterminated ${meta[start]} in ${brace ? 'line ranges such as {2-4}' : 'a pattern such as /word/'}`, start, end: meta.length })
        continue
      }
      // A pattern may carry a suffix (`/word/2-3`): the item runs to the next space.
      while (i < meta.length && !isSpace(meta[i])) i++
      tokens.push(brace ? { key: '{}', value: meta.slice(start + 1, meta.indexOf('}', start)), start, end: i } : { key: '//', value: meta.slice(start, i), start, end: i })
      continue
    }
    while (i < meta.length && !isSpace(meta[i]) && meta[i] !== '=' && !isQuote(meta[i])) i++
    const key = meta.slice(start, i)

    if (key === '' && isQuote(meta[i])) {
      const pieces = readWord('a text marker')
      if (pieces !== null && checkGlued(pieces, 'a text marker')) tokens.push({ key: '""', value: pieces[0]!.text, start, end: i })
      continue
    }
    if (key === '') {
      // `=value`: read it whole so it is one error.
      i++
      readWord('a value')
      errors.push({ message: 'value without an option name; write name=value', start, end: i })
      continue
    }

    const badAt = key.search(NOT_KEY_CHAR)
    if (badAt >= 0) {
      const bad = String.fromCodePoint(key.codePointAt(badAt)!)
      const at = start + badAt
      errors.push({
        message: `invalid character "${bad}" in option name "${key}"; use letters, digits, - and _`,
        start: at,
        end: at + bad.length,
      })
      if (meta[i] === '=') i++
      readWord(`the value of ${key}`)
      continue
    }

    if (isQuote(meta[i])) {
      const quoteAt = i
      readWord(`the value of ${key}`)
      errors.push({ message: `missing "=" between ${key} and its quoted value`, start: quoteAt, end: quoteAt + 1 })
      continue
    }

    if (meta[i] !== '=') {
      tokens.push({ key, value: true, start, end: i })
      continue
    }

    i++
    const what = `the value of ${key}`
    const pieces = readWord(what)
    if (pieces === null || !checkGlued(pieces, what)) continue
    tokens.push({ key, value: pieces[0]?.text ?? '', start, end: i })
  }

  // Item errors are pushed after their value's errors; report in text order.
  errors.sort((a, b) => a.start - b.start)
  return { tokens, errors }
}
