/**
 * Terminal output → styled text segments. Shared by the build and the
 * browser, so it imports nothing from Node and touches no DOM.
 *
 * Styles become class names only (`rb-bold`, `rb-fg-red`, `rb-bg-bright-blue`
 * ...): a strict CSP forbids inline styles, so 256-colour and truecolour codes
 * are mapped to the nearest of the 16 colours the stylesheet defines.
 */

export interface AnsiSegment {
  text: string
  classes: string[]
}

/*
 * This file is bundled into the browser's live-runner script, whose budget
 * is 3 KB gzipped (test/browser/bundle.test.ts): it is written to minify
 * well (one tokenizing regex, tables instead of branches, computed tables
 * instead of literal ones).
 */

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

/** The nearest of the 16 colours; undefined unless r, g and b are whole numbers 0–255. */
function nearestColour(r?: number, g?: number, b?: number): number | undefined {
  let best: number | undefined
  let bestDistance = Infinity
  const rgb = [r, g, b]
  if (rgb.every((v) => Number.isInteger(v) && v! >= 0 && v! <= 255)) {
    PALETTE.forEach((colour, index) => {
      const distance = colour.reduce((sum, v, i) => sum + (rgb[i]! - v) ** 2, 0)
      if (distance < bestDistance) {
        best = index
        bestDistance = distance
      }
    })
  }
  return best
}

/** An xterm 256-colour index as one of the 16, or undefined when invalid. */
function colour256(n?: number): number | undefined {
  if (!Number.isInteger(n) || n! < 0 || n! > 255) return undefined
  if (n! < 16) return n
  const grey = 8 + (n! - 232) * 10
  const cube = (level: number) => (level && 55 + level * 40)
  const i = n! - 16
  return n! >= 232 ? nearestColour(grey, grey, grey) : nearestColour(cube((i / 36) | 0), cube(((i / 6) | 0) % 6), cube(i % 6))
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
function classesOf(style: Style): string[] {
  const classes = FLAGS.filter((flag) => style[flag!]).map((flag) => `rb-${flag}`)
  const colours = style.inverse ? [style.bg, style.fg] : [style.fg, style.bg]
  colours.forEach(
    (colour, i) => colour !== undefined && classes.push(`rb-${i ? 'bg' : 'fg'}-${colour < 8 ? '' : 'bright-'}${COLOUR_NAMES[colour % 8]}`),
  )
  return classes
}

/**
 * Applies one SGR parameter string (`1;31`, empty = reset) to a style.
 * Extended colours (38, 48, 58) come in the colon form (`38:5:n`,
 * `38:2::r:g:b`, `38:2:r:g:b`) or the semicolon form (`38;5;n`,
 * `38;2;r;g;b`), whose arguments are skipped so they are not read as codes.
 */
function applySgr(style: Style, paramText: string): Style {
  // Number('') is 0: an empty parameter means 0.
  const params = paramText.split(';').map((group) => group.split(':').map(Number))
  let next = { ...style }
  for (let i = 0; i < params.length; i++) {
    const group = params[i]!
    const code = group[0]!
    // Colours: 30–37 and 40–47, bright 90–97 and 100–107.
    const base = code >= 90 ? code - 60 : code
    if (code === 38 || code === 48 || code === 58) {
      const colon = group.length > 1
      // The mode, then its values.
      const values = colon ? group.slice(1) : params.slice(i + 1, i + 5).map((p) => p[0])
      const [mode, n] = values
      // With a colour-space id (colon form) the RGB values are the last three.
      const colour = mode === 5 ? colour256(n) : mode === 2 ? nearestColour(...(values.length > 4 ? values.slice(-3) : values.slice(1))) : undefined
      i += colon ? 0 : mode === 5 ? 2 : mode === 2 ? 4 : 1
      // 58 (underline colour) is parsed only so its arguments are not read as codes.
      if (colour !== undefined && code < 58) next[code < 48 ? 'fg' : 'bg'] = colour
    } else if (code === 0) next = {}
    else if (code === 22) next.bold = next.dim = false
    else if (FLAGS[code]) next[FLAGS[code]!] = code !== 4 || group[1] !== 0 // 4:0 is "no underline"
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
  /\x1b(?:\[([0-?]*)([ -/]*)([@-~]?)|[\]PX^_][^]*?(?:[\x07\x9c]|\x1b\\|$)|[ -/]+[0-~]?|[0-~])?|\r|\n|([\x00-\x08\x0b-\x1f\x7f-\x9f])|[^]/gu

/** Controls other than tab and LF (CR and ESC are handled before this applies). */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g

/**
 * The visible stand-in for a control character: C0 controls and DEL become
 * Unicode control pictures (NUL → ␀), because raw controls in HTML are parse
 * errors and invisible anyway; C1 controls have no pictures and are almost
 * always mis-decoded bytes, so they become U+FFFD.
 */
function controlPicture(ch: string): string {
  const code = ch.charCodeAt(0)
  return String.fromCharCode(code < 0x20 ? 0x2400 + code : code === 0x7f ? 0x2421 : 0xfffd)
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
export function parseAnsi(text: string): AnsiSegment[] {
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
        const mode = Number(params || 0)
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
