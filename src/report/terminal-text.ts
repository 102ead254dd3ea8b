/**
 * Text from programs (their output, a server's messages, and anything quoted
 * from them) made safe for a terminal, a CI log, a GitHub annotation or a job
 * summary: escape sequences removed, other control characters made visible,
 * workflow commands disarmed, and a line too long to read cut. Without this,
 * a snippet printing OSC 52 writes the author's clipboard, OSC 0 retitles
 * the window, CSI moves the cursor over earlier lines, bidi controls reorder
 * what a reviewer reads, and `::add-mask::` or `##[error]` in its stderr is
 * obeyed by the CI runner that prints the report.
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

/**
 * What a GitHub Actions runner obeys in a log line: `::command …::` once it
 * has trimmed the line's leading white space (any Unicode space, which `\s`
 * covers), and the legacy `##[command]` anywhere in a line. The first
 * character of each is shown escaped, `\x3a:` and `\x23#[`, so no line of a
 * report can set a mask, forge an annotation or stop the commands that
 * follow (`::stop-commands::token`). Applied line by line (never with the
 * `m` flag, whose `^` would rescan every blank line: quadratic).
 */
const LINE_COMMAND = /^(\s*)::/
const LEGACY_COMMAND = /#(?=#\[)/g

/** Longer lines are cut: a 64 KB line of output says no more than its start. */
export const MAX_LINE_LENGTH = 1000

const visible = (char: string) => {
  const code = char.charCodeAt(0)
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`
}

/** `line` cut to MAX_LINE_LENGTH characters (never inside a surrogate pair), saying how much was cut. */
function capLine(line: string): string {
  if (line.length <= MAX_LINE_LENGTH) return line
  const end = /[\udc00-\udfff]/.test(line.charAt(MAX_LINE_LENGTH)) ? MAX_LINE_LENGTH - 1 : MAX_LINE_LENGTH
  return `${line.slice(0, end)} … (${(line.length - end).toLocaleString('en-US')} more characters cut)`
}

/**
 * `text` safe to print in any report: escape sequences removed, other
 * control characters made visible, workflow commands disarmed, each line
 * at most MAX_LINE_LENGTH characters. The one sanitiser of every channel
 * (stderr, `-v`, annotations, the job summary).
 */
export function terminalSafe(text: string): string {
  return text.replace(SEQUENCE, '').replace(CONTROL, visible).split('\n').map(disarm).join('\n')
}

/** One line cut to length, its workflow commands disarmed. */
function disarm(line: string): string {
  return capLine(line)
    .replace(LINE_COMMAND, (_, indent: string) => `${indent}${visible(':')}:`)
    .replace(LEGACY_COMMAND, visible)
}
