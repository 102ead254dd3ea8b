/**
 * Text from programs (their output, a server's messages, and anything quoted
 * from them) made safe for a terminal, a CI log, a GitHub annotation or a job
 * summary: escape sequences removed, other control characters made visible.
 * Without this, a snippet printing OSC 52 writes the author's clipboard, OSC
 * 0 retitles the window, CSI moves the cursor over earlier lines, and bidi
 * controls reorder what a reviewer reads.
 */

/**
 * A complete escape sequence, 7-bit (ESC …) or 8-bit (C1): CSI with its
 * parameters; OSC, DCS, SOS, PM and APC strings up to BEL or ST (their bodies
 * stop at the next control introducer, so scanning stays linear); any other
 * ESC with its intermediates and final byte.
 */
const SEQUENCE =
  /(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|(?:\x1b[\]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x80-\x9f]*(?:\x07|\x1b\\|\x9c)|\x1b[\x20-\x2f]*[\x30-\x7e]/g

/**
 * Controls left over (a lone ESC, BEL, CR, backspace, C1) and the Unicode
 * bidi controls, shown as `\x1b` or `\u202e`. Tab and line feed are layout
 * and stay.
 */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

const visible = (char: string) => {
  const code = char.charCodeAt(0)
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`
}

/** `text` with escape sequences removed and other control characters made visible. */
export function terminalSafe(text: string): string {
  return text.replace(SEQUENCE, '').replace(CONTROL, visible)
}
