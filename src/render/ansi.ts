/**
 * Terminal output → styled text segments. Shared by the build and the
 * browser, so it imports nothing from Node and touches no DOM.
 *
 * Styles become class names only (`rb-bold`, `rb-fg-red`, `rb-bg-bright-blue`
 * ...): a strict CSP forbids inline styles, so 256-colour and truecolour codes
 * are mapped to the nearest of the 16 colours the stylesheet defines.
 *
 * This file ships in the browser's live runner, whose size is held to a
 * budget (test/browser/bundle.test.ts), so it is written to minify well: one
 * tokenizing regex, tables instead of branches, computed tables instead of
 * literal ones.
 */

export interface AnsiSegment {
  text: string
  classes: string[]
}

const COLOUR_NAMES = 'black red green yellow blue magenta cyan white'.split(' ')

/**
 * xterm's RGB values for colours 0–15, the reference for nearest-colour
 * mapping: bits 0, 1 and 2 of the index switch red, green and blue on at 205
 * (bright colours: 255), except for four colours with values of their own.
 */
const PALETTE = [...Array(16)].map(
  (_, index) =>
    ({ 4: [0, 0, 238], 7: [229, 229, 229], 8: [127, 127, 127], 12: [92, 92, 255] })[index] ??
    [1, 2, 4].map((bit) => (index & bit && (index < 8 ? 205 : 255))),
)

/**
 * The nearest of the 16 colours to an RGB triple; undefined unless all three
 * are at most 255 (SGR parameters are digits only, so never negative or
 * fractional, but they may be missing: NaN).
 */
const nearest = (rgb: number[]) => {
  if (rgb.every((v) => v <= 255)) {
    const distances = PALETTE.map((colour) => colour.reduce((sum, v, i) => sum + (rgb[i]! - v) ** 2, 0))
    // The first of equally near colours.
    return distances.indexOf(Math.min(...distances))
  }
}

/**
 * The flag each SGR code 1–7 turns on; code + 20 turns it off (22 turns off
 * bold and dim). Also the order of the flags' classes (holes are skipped).
 */
const FLAGS = [, 'bold', 'dim', 'italic', 'underline', , , 'inverse'] as const
type Flag = NonNullable<(typeof FLAGS)[number]>

type Style = { [F in Flag]?: boolean } & { fg?: number; bg?: number }

/**
 * Classes in a fixed order so that equal styles give equal lists. Inverse is
 * resolved here by swapping the colours: `rb-inverse` itself paints the
 * default colours swapped, and a colour class (later in the stylesheet)
 * overrides whichever side has a colour.
 */
const classesOf = (style: Style): string[] => {
  const classes = FLAGS.filter((flag) => style[flag!]).map((flag) => `rb-${flag}`)
  ;(style.inverse ? [style.bg, style.fg] : [style.fg, style.bg]).forEach(
    (colour, i) => colour! >= 0 && classes.push(`rb-${i ? 'bg' : 'fg'}-${colour! < 8 ? '' : 'bright-'}${COLOUR_NAMES[colour! % 8]}`),
  )
  return classes
}

/**
 * Applies one SGR parameter string (`1;31`, empty = reset) to a style.
 * Extended colours (38, 48, 58) come in the colon form (`38:5:n`,
 * `38:2::r:g:b`, `38:2:r:g:b`) or the semicolon form (`38;5;n`,
 * `38;2;r;g;b`); the semicolon form is first rewritten to the colon form, so
 * that its arguments are not read as codes.
 */
const applySgr = (style: Style, paramText: string): Style => {
  let next = { ...style }
  for (const group of paramText
    .replace(/(?<![^;])[345]8;(5(;[^;]*)?|2(;[^;]*){0,3}|[^;]*)/g, (colour) => colour.replace(/;/g, ':'))
    .split(';')) {
    // Number('') is 0: an empty parameter means 0.
    const values = group.split(':').map(Number)
    const [code, mode, n] = values as [number, number?, number?]
    // Colours: 30–37 and 40–47, bright 90–97 and 100–107.
    const base = code >= 90 ? code - 60 : code
    if (/^[345]8:/.test(group)) {
      // 256 colours: the 16, a 6×6×6 cube (levels 0, 95, 135, 175, 215, 255),
      // then a grey ramp (8 to 238). RGB: the last three values (a
      // colour-space id may come first).
      const colour =
        mode === 5
          ? n! < 16
            ? n
            : nearest(
                n! < 232
                  ? [36, 6, 1].map((d) => ((d = (((n! - 16) / d) | 0) % 6) && 55 + d * 40))
                  : Array(3).fill(8 + (n! - 232) * 10),
              )
          : mode === 2 && values.length > 4
            ? nearest(values.slice(-3))
            : undefined
      // 58 (underline colour) is parsed only so its arguments are not read as codes.
      if (colour! >= 0 && code < 58) next[code < 48 ? 'fg' : 'bg'] = colour
    } else if (code === 0) next = {}
    else if (code === 22) next.bold = next.dim = false
    else if (FLAGS[code]) next[FLAGS[code]!] = code !== 4 || mode !== 0 // 4:0 is "no underline"
    else if (code > 22 && FLAGS[code - 20]) next[FLAGS[code - 20]!] = false
    else if (code === 39 || code === 49) delete next[code < 40 ? 'fg' : 'bg']
    else if (base >= 30 && base < 48 && base % 10 < 8) next[base < 40 ? 'fg' : 'bg'] = (base % 10) + (code - base && 8)
  }
  return next
}

/**
 * One token of terminal output: an escape sequence (groups: CSI parameters,
 * intermediates, final byte), CR, LF, another control character (group 4),
 * or one code point.
 *
 * Escape sequences: CSI `ESC [ params intermediates final`, dropped up to
 * where it stops when truncated or malformed (output cut by the cap); OSC
 * (titles, hyperlinks), DCS, SOS, PM, APC: strings ended by BEL, ST or
 * `ESC \`, or by the end of the output; nF escapes (charset selection
 * `ESC ( B`...): intermediates, then a final byte; two-character escapes
 * (`ESC 7`, `ESC =`...); otherwise a lone ESC.
 */
const TOKEN =
  /\x1b(?:\[([0-?]*)([ -/]*)([@-~]?)|[\]PX^_][^]*?(?:[\x07\x9c]|\x1b\\|$)|[ -/]+[0-~]?|[0-~])?|\r|\n|([\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff])|[^]/gu

/**
 * Characters shown by a stand-in: controls other than tab and LF (CR and ESC
 * are handled before this applies); bidi controls and marks (U+061C,
 * U+200E/F, U+202A–E, U+2066–9), which would reorder the text around them
 * unseen; and what XML 1.0 does not allow (U+FFFE, U+FFFF, a lone
 * surrogate), which would make a feed ill-formed.
 */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]/gu

/**
 * The visible stand-in for such a character: C0 controls and DEL become
 * Unicode control pictures (NUL → ␀), because raw controls in HTML are parse
 * errors and invisible anyway; C1 controls have no pictures and are almost
 * always mis-decoded bytes, so they become U+FFFD; the rest are named by
 * their code point, as `<U+202E>`.
 */
const controlPicture = (ch: string): string => {
  const code = ch.charCodeAt(0)
  return code < 0x20 || code === 0x7f ? String.fromCharCode(code < 0x20 ? 0x2400 + code : 0x2421) : code < 0xa0 ? '\ufffd' : `<U+${code.toString(16).toUpperCase()}>`
}

/**
 * For text that is not terminal output (code, titles): CRLF and CR become LF,
 * every other control character except tab becomes visible.
 */
export function plainText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL, controlPicture)
}

/**
 * Parses terminal output into segments. SGR styles become classes, erase-in-
 * line (`ESC [ K`) is honoured, every other escape sequence is removed, and a
 * lone CR returns to the start of the line so that later text overwrites it,
 * as a terminal shows a progress bar. Adjacent segments with the same classes
 * are merged.
 */
export const parseAnsi = (text: string): AnsiSegment[] => {
  const segments: AnsiSegment[] = []
  let style: Style = {}
  let classes: string[] = []
  // The current line as cells (one per code point, so that overwriting never
  // splits a surrogate pair), because CR lets later text overwrite it.
  let line: Cell[] = []
  let column = 0
  const endLine = () => {
    for (const [ch, cellClasses] of line) {
      const last = segments.at(-1)
      if (last && last.classes.join() === cellClasses.join()) last.text += ch
      else segments.push({ text: ch, classes: [...cellClasses] })
    }
    line = []
    column = 0
  }

  for (const [token, params, intermediates, final, control] of text.matchAll(TOKEN)) {
    if (final && !intermediates) {
      if (final === 'm' && !/^[<=>?]/.test(params!)) classes = classesOf((style = applySgr(style, params!)))
      else if (final === 'K') {
        const mode = +params! // an empty parameter is 0
        if (mode === 1 || mode === 2) {
          for (let k = 0; k <= column && k < line.length; k++) line[k] = [' ', classes]
        }
        if (mode === 0 || mode === 2) line.length = Math.min(column, line.length)
      }
    } else if (token === '\r') column = 0
    // CRLF needs no special case: CR goes to column 0, LF keeps the line.
    else if (token === '\n') {
      line.push([token, classes])
      endLine()
    } else if (token[0] !== '\x1b') line[column++] = [control ? controlPicture(control) : token, classes]
  }
  endLine()
  return segments
}

type Cell = [ch: string, classes: string[]]
