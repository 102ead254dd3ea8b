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

const COLOUR_NAMES = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white']

/** xterm's RGB values for colours 0–15, the reference for nearest-colour mapping. */
const PALETTE: ReadonlyArray<readonly [number, number, number]> = [
  [0, 0, 0], [205, 0, 0], [0, 205, 0], [205, 205, 0],
  [0, 0, 238], [205, 0, 205], [0, 205, 205], [229, 229, 229],
  [127, 127, 127], [255, 0, 0], [0, 255, 0], [255, 255, 0],
  [92, 92, 255], [255, 0, 255], [0, 255, 255], [255, 255, 255],
]

/** Colour 0–15 as used in class names: `red`, `bright-red`. */
function colourName(index: number): string {
  const base = COLOUR_NAMES[index % 8]!
  return index < 8 ? base : `bright-${base}`
}

function nearestColour(r: number, g: number, b: number): number {
  let best = 0
  let bestDistance = Infinity
  PALETTE.forEach(([pr, pg, pb], index) => {
    const distance = (r - pr) ** 2 + (g - pg) ** 2 + (b - pb) ** 2
    if (distance < bestDistance) {
      best = index
      bestDistance = distance
    }
  })
  return best
}

/** An xterm 256-colour index as one of the 16, or undefined when invalid. */
function colour256(n: number): number | undefined {
  if (!Number.isInteger(n) || n < 0 || n > 255) return undefined
  if (n < 16) return n
  if (n >= 232) {
    const grey = 8 + (n - 232) * 10
    return nearestColour(grey, grey, grey)
  }
  const cube = (level: number) => (level === 0 ? 0 : 55 + level * 40)
  const i = n - 16
  return nearestColour(cube(Math.floor(i / 36)), cube(Math.floor(i / 6) % 6), cube(i % 6))
}

function colourRgb(r: number, g: number, b: number): number | undefined {
  const valid = [r, g, b].every((v) => Number.isInteger(v) && v >= 0 && v <= 255)
  return valid ? nearestColour(r, g, b) : undefined
}

interface Style {
  bold: boolean
  dim: boolean
  italic: boolean
  underline: boolean
  inverse: boolean
  fg?: number
  bg?: number
}

const PLAIN: Style = { bold: false, dim: false, italic: false, underline: false, inverse: false }

/**
 * Classes in a fixed order so that equal styles give equal lists. Inverse is
 * resolved here by swapping the colours: `rb-inverse` itself paints the
 * default colours swapped, and a colour class (later in the stylesheet)
 * overrides whichever side has a colour.
 */
function classesOf(style: Style): string[] {
  const classes: string[] = []
  for (const flag of ['bold', 'dim', 'italic', 'underline', 'inverse'] as const) {
    if (style[flag]) classes.push(`rb-${flag}`)
  }
  const [fg, bg] = style.inverse ? [style.bg, style.fg] : [style.fg, style.bg]
  if (fg !== undefined) classes.push(`rb-fg-${colourName(fg)}`)
  if (bg !== undefined) classes.push(`rb-bg-${colourName(bg)}`)
  return classes
}

/**
 * Reads the colour of an extended colour code (38, 48, 58) in either the
 * colon form (`38:5:n`, `38:2::r:g:b`, `38:2:r:g:b`) or the semicolon form
 * (`38;5;n`, `38;2;r;g;b`). Returns the colour and how many extra
 * semicolon-separated parameters it used.
 */
function extendedColour(
  sub: number[],
  params: number[][],
  at: number,
): { colour: number | undefined; used: number } {
  if (sub.length > 1) {
    const [, mode, ...rest] = sub
    if (mode === 5) return { colour: colour256(rest[0] ?? NaN), used: 0 }
    // With a colour-space id the RGB values are the last three.
    const [r, g, b] = rest.length > 3 ? rest.slice(-3) : rest
    return { colour: mode === 2 ? colourRgb(r ?? NaN, g ?? NaN, b ?? NaN) : undefined, used: 0 }
  }
  const next = (k: number) => params[at + k]?.[0] ?? NaN
  const mode = next(1)
  if (mode === 5) return { colour: colour256(next(2)), used: 2 }
  if (mode === 2) return { colour: colourRgb(next(2), next(3), next(4)), used: 4 }
  return { colour: undefined, used: 1 }
}

/** Applies one SGR parameter string (`1;31`, empty = reset) to a style. */
function applySgr(style: Style, paramText: string): Style {
  const params = paramText.split(';').map((group) => group.split(':').map((s) => (s === '' ? 0 : Number(s))))
  let next = { ...style }
  for (let i = 0; i < params.length; i++) {
    const sub = params[i]!
    const code = sub[0]!
    if (code === 38 || code === 48 || code === 58) {
      const { colour, used } = extendedColour(sub, params, i)
      i += used
      // 58 (underline colour) is parsed only so its arguments are not read as codes.
      if (colour !== undefined && code === 38) next.fg = colour
      if (colour !== undefined && code === 48) next.bg = colour
    } else if (code === 0) next = { ...PLAIN }
    else if (code === 1) next.bold = true
    else if (code === 2) next.dim = true
    else if (code === 3) next.italic = true
    else if (code === 4) next.underline = sub[1] !== 0 // 4:0 is "no underline"
    else if (code === 7) next.inverse = true
    else if (code === 22) next.bold = next.dim = false
    else if (code === 23) next.italic = false
    else if (code === 24) next.underline = false
    else if (code === 27) next.inverse = false
    else if (code >= 30 && code <= 37) next.fg = code - 30
    else if (code === 39) delete next.fg
    else if (code >= 40 && code <= 47) next.bg = code - 40
    else if (code === 49) delete next.bg
    else if (code >= 90 && code <= 97) next.fg = code - 90 + 8
    else if (code >= 100 && code <= 107) next.bg = code - 100 + 8
  }
  return next
}

const ESC = '\x1b'
const BEL = '\x07'
const ST_C1 = '\x9c'

const inRange = (ch: string | undefined, low: number, high: number) =>
  ch !== undefined && ch.charCodeAt(0) >= low && ch.charCodeAt(0) <= high

interface Escape {
  /** Index just past the sequence. */
  end: number
  /** Set for a complete CSI sequence without intermediate bytes. */
  csi?: { params: string; final: string }
}

/** Finds the end of the escape sequence starting with ESC at `start`. */
function readEscape(text: string, start: number): Escape {
  const introducer = text[start + 1]
  if (introducer === '[') {
    let i = start + 2
    while (inRange(text[i], 0x30, 0x3f)) i++
    const params = text.slice(start + 2, i)
    const paramsEnd = i
    while (inRange(text[i], 0x20, 0x2f)) i++
    // Truncated or malformed (output cut by the cap): drop what was scanned.
    if (!inRange(text[i], 0x40, 0x7e)) return { end: i }
    return i === paramsEnd ? { end: i + 1, csi: { params, final: text[i]! } } : { end: i + 1 }
  }
  // OSC (titles, hyperlinks), DCS, SOS, PM, APC: strings ended by BEL or ST.
  if (introducer !== undefined && ']PX^_'.includes(introducer)) {
    for (let i = start + 2; i < text.length; i++) {
      if (text[i] === BEL || text[i] === ST_C1) return { end: i + 1 }
      if (text[i] === ESC && text[i + 1] === '\\') return { end: i + 2 }
    }
    return { end: text.length }
  }
  // nF escapes (charset selection `ESC ( B` ...): intermediates, then a final byte.
  let i = start + 1
  while (inRange(text[i], 0x20, 0x2f)) i++
  if (i > start + 1) return { end: inRange(text[i], 0x30, 0x7e) ? i + 1 : i }
  // Two-character escapes (`ESC 7`, `ESC =` ...); otherwise a lone ESC.
  return { end: inRange(introducer, 0x30, 0x7e) ? start + 2 : start + 1 }
}

/**
 * The visible stand-in for a control character: C0 controls and DEL become
 * Unicode control pictures (NUL → ␀), because raw controls in HTML are parse
 * errors and invisible anyway; C1 controls have no pictures and are almost
 * always mis-decoded bytes, so they become U+FFFD.
 */
function controlPicture(ch: string): string {
  const code = ch.charCodeAt(0)
  if (code < 0x20) return String.fromCharCode(0x2400 + code)
  if (code === 0x7f) return '\u2421'
  return '\ufffd'
}

/** Controls other than tab and LF (CR and ESC are handled before this applies). */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/

/**
 * For text that is not terminal output (code, titles): CRLF and CR become LF,
 * every other control character except tab becomes visible.
 */
export function plainText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(new RegExp(CONTROL, 'g'), controlPicture)
}

interface Cell {
  ch: string
  classes: string[]
}

function sameClasses(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i])
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
  const emit = (ch: string, classes: string[]) => {
    const last = segments.at(-1)
    if (last && sameClasses(last.classes, classes)) last.text += ch
    else segments.push({ text: ch, classes: [...classes] })
  }

  let style = PLAIN
  let classes = classesOf(style)
  // The current line as cells, because CR lets later text overwrite it.
  let line: Cell[] = []
  let column = 0
  const put = (ch: string) => {
    line[column++] = { ch, classes }
  }
  const endLine = () => {
    for (const cell of line) emit(cell.ch, cell.classes)
    line = []
    column = 0
  }

  for (let i = 0; i < text.length; ) {
    const ch = text[i]!
    if (ch === ESC) {
      const escape = readEscape(text, i)
      i = escape.end
      if (escape.csi?.final === 'm' && !/^[<=>?]/.test(escape.csi.params)) {
        style = applySgr(style, escape.csi.params)
        classes = classesOf(style)
      } else if (escape.csi?.final === 'K') {
        const mode = Number(escape.csi.params || 0)
        if (mode === 1 || mode === 2) {
          for (let k = 0; k <= column && k < line.length; k++) line[k] = { ch: ' ', classes }
        }
        if (mode === 0 || mode === 2) line.length = Math.min(column, line.length)
      }
      continue
    }
    // CRLF needs no special case: CR goes to column 0, LF keeps the line.
    if (ch === '\r') column = 0
    else if (ch === '\n') {
      endLine()
      emit('\n', classes)
    } else if (ch === '\t') put(ch)
    else if (CONTROL.test(ch)) put(controlPicture(ch))
    else {
      // One cell per code point, so that overwriting never splits a surrogate pair.
      const codePoint = String.fromCodePoint(text.codePointAt(i)!)
      put(codePoint)
      i += codePoint.length
      continue
    }
    i++
  }
  endLine()
  return segments
}
