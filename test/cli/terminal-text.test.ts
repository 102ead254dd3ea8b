import { describe, expect, it } from 'vitest'
import { MAX_LINE_LENGTH, terminalSafe } from '../../src/report/terminal-text.js'

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

  it.each([
    ['a mask', '::add-mask::x', '\\x3a:add-mask::x'],
    ['a forged annotation after spaces', '    ::warning file=README.md,line=1::forged', '    \\x3a:warning file=README.md,line=1::forged'],
    ['stop-commands after a tab', '\t::stop-commands::tok', '\t\\x3a:stop-commands::tok'],
    ['its resume token after a no-break space', '\u00a0::tok::', '\u00a0\\x3a:tok::'],
    ['a command after a carriage return (shown, so the line does not split)', 'x\r::error::y', 'x\\x0d::error::y'],
    ['the legacy form anywhere in a line', 'note ##[error]legacy ###[group]', 'note \\x23#[error]legacy #\\x23#[group]'],
    ['a command on a later line', 'fine\n  ::notice::n', 'fine\n  \\x3a:notice::n'],
  ])('disarms a workflow command: %s', (_name, text, safe) => {
    expect(terminalSafe(text)).toBe(safe)
  })

  it('stays linear on many blank or white-space lines (a `^` rescanning each would take minutes)', () => {
    for (const text of ['\n'.repeat(100_000), ' \n'.repeat(100_000), '\u2028'.repeat(100_000), `${' '.repeat(100_000)}::x`]) {
      const started = performance.now()
      terminalSafe(text)
      expect(performance.now() - started).toBeLessThan(1000)
    }
  })

  it('leaves colons and hashes that command nothing', () => {
    expect(terminalSafe('a::b #[x] ## [y] c: :d')).toBe('a::b #[x] ## [y] c: :d')
  })

  it('cuts a line longer than the limit, saying how much, and never splits a surrogate pair', () => {
    const long = 'x'.repeat(64 * 1024)
    expect(terminalSafe(`${long}\nnext`)).toBe(`${'x'.repeat(MAX_LINE_LENGTH)} … (64,536 more characters cut)\nnext`)
    const emoji = 'x'.repeat(MAX_LINE_LENGTH - 1) + '😀'.repeat(10)
    expect(terminalSafe(emoji)).toBe(`${'x'.repeat(MAX_LINE_LENGTH - 1)} … (20 more characters cut)`)
    expect(terminalSafe('y'.repeat(MAX_LINE_LENGTH))).toBe('y'.repeat(MAX_LINE_LENGTH))
  })
})
