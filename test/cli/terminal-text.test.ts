import { describe, expect, it } from 'vitest'
import { terminalSafe } from '../../src/report/terminal-text.js'

describe('terminalSafe', () => {
  it.each([
    ['OSC 52 ended by BEL', 'a\x1b]52;c;cHduZWQ=\x07b', 'ab'],
    ['OSC 0 ended by ST', 'a\x1b]0;title\x1b\\b', 'ab'],
    ['8-bit OSC ended by 8-bit ST', 'a\x9d0;title\x9cb', 'ab'],
    ['CSI with parameters', 'a\x1b[2J\x1b[1;31mb\x1b[0m', 'ab'],
    ['8-bit CSI', 'a\x9b31mb', 'ab'],
    ['DCS', 'a\x1bP1$rq\x1b\\b', 'ab'],
    ['8-bit DCS, APC, PM, SOS', 'a\x90q\x9cb\x1b_x\x1b\\c\x1b^y\x1b\\d\x1bXz\x1b\\e', 'abcde'],
    ['other ESC sequences', 'a\x1b(Bb\x1bcc\x1b7d', 'abcd'],
  ])('removes %s', (_name, text, safe) => {
    expect(terminalSafe(text)).toBe(safe)
  })

  it('shows other controls and bidi controls, keeps tabs and line feeds', () => {
    expect(terminalSafe('bell\x07 cr\r bs\b del\x7f nel\x85 lone\x1b')).toBe('bell\\x07 cr\\x0d bs\\x08 del\\x7f nel\\x85 lone\\x1b')
    expect(terminalSafe('\u202eexe.txt \u2066x\u2069 \u200f')).toBe('\\u202eexe.txt \\u2066x\\u2069 \\u200f')
    expect(terminalSafe('a\tb\nc é ✓')).toBe('a\tb\nc é ✓')
  })

  it('leaves an unterminated string harmless and stays linear', () => {
    expect(terminalSafe('a\x1b]52;c;QQ==')).toBe('a52;c;QQ==')
    const started = performance.now()
    terminalSafe('\x1b]'.repeat(200_000) + '\x9d'.repeat(200_000))
    expect(performance.now() - started).toBeLessThan(1000)
  })
})
