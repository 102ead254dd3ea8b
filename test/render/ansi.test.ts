import { describe, expect, it } from 'vitest'
import { parseAnsi, plainText } from '../../src/render/ansi.js'

const ESC = '\x1b'
const sgr = (params: string) => `${ESC}[${params}m`
/** The classes of the segment holding `text`. */
const classesOf = (input: string, text: string) => parseAnsi(input).find((s) => s.text === text)?.classes

describe('parseAnsi: SGR styles', () => {
  it('leaves plain text as one unstyled segment', () => {
    expect(parseAnsi('hello\nworld\n')).toEqual([{ text: 'hello\nworld\n', classes: [] }])
    expect(parseAnsi('')).toEqual([])
  })

  it.each([
    ['1', ['rb-bold']],
    ['2', ['rb-dim']],
    ['3', ['rb-italic']],
    ['4', ['rb-underline']],
    ['7', ['rb-inverse']],
    ['31', ['rb-fg-red']],
    ['30', ['rb-fg-black']],
    ['37', ['rb-fg-white']],
    ['91', ['rb-fg-bright-red']],
    ['97', ['rb-fg-bright-white']],
    ['44', ['rb-bg-blue']],
    ['107', ['rb-bg-bright-white']],
    ['1;3;4;32;45', ['rb-bold', 'rb-italic', 'rb-underline', 'rb-fg-green', 'rb-bg-magenta']],
  ])('SGR %s gives %j', (params, classes) => {
    expect(parseAnsi(`${sgr(params)}x${sgr('0')}y`)).toEqual([
      { text: 'x', classes },
      { text: 'y', classes: [] },
    ])
  })

  it('turns attributes off one by one', () => {
    const input = `${sgr('1;2;3;4;7;31;42')}a${sgr('22')}b${sgr('23')}c${sgr('24')}d${sgr('27')}e${sgr('39')}f${sgr('49')}g`
    expect(parseAnsi(input)).toEqual([
      { text: 'a', classes: ['rb-bold', 'rb-dim', 'rb-italic', 'rb-underline', 'rb-inverse', 'rb-fg-green', 'rb-bg-red'] },
      { text: 'b', classes: ['rb-italic', 'rb-underline', 'rb-inverse', 'rb-fg-green', 'rb-bg-red'] },
      { text: 'c', classes: ['rb-underline', 'rb-inverse', 'rb-fg-green', 'rb-bg-red'] },
      { text: 'd', classes: ['rb-inverse', 'rb-fg-green', 'rb-bg-red'] },
      { text: 'e', classes: ['rb-fg-red', 'rb-bg-green'] },
      { text: 'f', classes: ['rb-bg-green'] },
      { text: 'g', classes: [] },
    ])
  })

  it('resets on 0 and on an empty parameter list', () => {
    expect(classesOf(`${sgr('1;31')}${sgr('')}x`, 'x')).toEqual([])
    expect(classesOf(`${sgr('1;31')}${sgr('0')}x`, 'x')).toEqual([])
  })

  it('resolves inverse by swapping the colours', () => {
    expect(classesOf(`${sgr('7;31')}x`, 'x')).toEqual(['rb-inverse', 'rb-bg-red'])
    expect(classesOf(`${sgr('7;44')}x`, 'x')).toEqual(['rb-inverse', 'rb-fg-blue'])
  })

  it('keeps styles across lines and later codes', () => {
    expect(parseAnsi(`${sgr('1')}a\n${sgr('31')}b`)).toEqual([
      { text: 'a\n', classes: ['rb-bold'] },
      { text: 'b', classes: ['rb-bold', 'rb-fg-red'] },
    ])
  })

  it('ignores codes it has no class for', () => {
    expect(parseAnsi(`${sgr('5;9;53')}x`)).toEqual([{ text: 'x', classes: [] }])
  })

  it('renders the markup-and-ansi recording', () => {
    expect(parseAnsi('<script>alert(1)</script>\n\x1b[31mred\x1b[0m \x1b[1;32mbold-green\x1b[0m\n')).toEqual([
      { text: '<script>alert(1)</script>\n', classes: [] },
      { text: 'red', classes: ['rb-fg-red'] },
      { text: ' ', classes: [] },
      { text: 'bold-green', classes: ['rb-bold', 'rb-fg-green'] },
      { text: '\n', classes: [] },
    ])
  })
})

describe('parseAnsi: 256 colours and truecolour', () => {
  it.each([
    ['38;5;1', 'rb-fg-red'], // the 16 colours themselves
    ['38;5;9', 'rb-fg-bright-red'],
    ['38;5;196', 'rb-fg-bright-red'], // cube (5,0,0) = #ff0000
    ['38;5;16', 'rb-fg-black'], // cube origin
    ['38;5;21', 'rb-fg-blue'], // #0000ff
    ['38;5;46', 'rb-fg-bright-green'], // #00ff00
    ['38;5;231', 'rb-fg-bright-white'], // #ffffff
    ['38;5;244', 'rb-fg-bright-black'], // grey ramp #808080
    ['38;5;252', 'rb-fg-white'], // grey ramp #d0d0d0
    ['48;5;226', 'rb-bg-bright-yellow'], // #ffff00
    ['38;2;250;10;10', 'rb-fg-bright-red'],
    ['38;2;0;0;139', 'rb-fg-blue'], // dark blue
    ['38;2;200;200;0', 'rb-fg-yellow'],
    ['48;2;0;200;200', 'rb-bg-cyan'],
    ['38:5:196', 'rb-fg-bright-red'], // colon forms
    ['38:2::250:10:10', 'rb-fg-bright-red'],
    ['38:2:250:10:10', 'rb-fg-bright-red'],
  ])('%s → %s', (params, klass) => {
    expect(classesOf(`${sgr(params)}x`, 'x')).toEqual([klass])
  })

  it('consumes the arguments of extended colours instead of reading them as codes', () => {
    // Read as codes, "5" would be blink, "1" bold and "4" underline.
    expect(classesOf(`${sgr('38;5;1;4')}x`, 'x')).toEqual(['rb-underline', 'rb-fg-red'])
    expect(classesOf(`${sgr('58;5;1;3')}x`, 'x')).toEqual(['rb-italic'])
    expect(classesOf(`${sgr('38;2;1;4;3;1')}x`, 'x')).toEqual(['rb-bold', 'rb-fg-black'])
  })

  it('ignores invalid extended colours', () => {
    expect(classesOf(`${sgr('31;38;5;300')}x`, 'x')).toEqual(['rb-fg-red'])
    expect(classesOf(`${sgr('38;2;999;0;0')}x`, 'x')).toEqual([])
  })
})

describe('parseAnsi: other escape sequences are removed', () => {
  it.each([
    ['cursor movement and clearing', `a${ESC}[2J${ESC}[H${ESC}[1;5Hb${ESC}[?25l${ESC}[?25hc`],
    ['private-marker sequences ending in m', `a${ESC}[>4;2mb${ESC}[?1mc`],
    ['OSC titles ended by BEL', `a${ESC}]0;window title\x07bc`],
    ['OSC ended by ST', `a${ESC}]2;title${ESC}\\bc`],
    ['OSC ended by C1 ST', `a${ESC}]2;title\x9cbc`],
    ['DCS and APC strings', `a${ESC}Pq#0;2;0;0;0${ESC}\\b${ESC}_payload${ESC}\\c`],
    ['charset selection', `a${ESC}(Bb${ESC})0c`],
    ['two-character escapes', `a${ESC}7b${ESC}8${ESC}=c`],
    ['a truncated CSI at the end', `abc${ESC}[38;5`],
  ])('%s', (_, input) => {
    expect(parseAnsi(input).map((s) => s.text).join('')).toBe('abc')
  })

  it('drops a lone ESC before another escape, non-ASCII text or the end', () => {
    expect(parseAnsi(`a${ESC}${ESC}[0mb${ESC}éc${ESC}`)).toEqual([{ text: 'abéc', classes: [] }])
  })

  it('keeps the text of an OSC 8 hyperlink', () => {
    expect(parseAnsi(`see ${ESC}]8;;https://example.com${ESC}\\the docs${ESC}]8;;${ESC}\\.`)).toEqual([
      { text: 'see the docs.', classes: [] },
    ])
  })

  it('swallows an unterminated OSC like a terminal would', () => {
    expect(parseAnsi(`ok${ESC}]0;never ended`)).toEqual([{ text: 'ok', classes: [] }])
  })
})

describe('parseAnsi: control characters', () => {
  it('shows C0 controls and DEL as control pictures', () => {
    expect(parseAnsi('a\x00b\x07c\x08d\x0be\x0cf\x1fg\x7fh')).toEqual([{ text: 'a␀b␇c␈d␋e␌f␟g␡h', classes: [] }])
  })

  it('keeps tab and LF', () => {
    expect(parseAnsi('a\tb\nc')).toEqual([{ text: 'a\tb\nc', classes: [] }])
  })

  it('replaces C1 controls', () => {
    expect(parseAnsi('a\x85b')).toEqual([{ text: 'a\ufffdb', classes: [] }])
  })

  it('renders the unicode-and-NUL recording', () => {
    expect(parseAnsi('héllo ✓ 😀 & < > \u0000 end\n')).toEqual([{ text: 'héllo ✓ 😀 & < > ␀ end\n', classes: [] }])
  })

  it('shows bidi controls and marks by their code point, so that output cannot reorder what is around it', () => {
    const bidi = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c'
    expect(parseAnsi(`a${bidi}b`)).toEqual([{ text: 'a<U+202A><U+202B><U+202C><U+202D><U+202E><U+2066><U+2067><U+2068><U+2069><U+200E><U+200F><U+61C>b', classes: [] }])
    expect(plainText('x\u202ey')).toBe('x<U+202E>y')
    // Right-to-left letters are text, not controls.
    expect(parseAnsi('שלום')).toEqual([{ text: 'שלום', classes: [] }])
  })

  it('shows what XML 1.0 does not allow (U+FFFE, U+FFFF, a lone surrogate), keeping pairs whole', () => {
    expect(parseAnsi('a\ufffeb\uffffc\ud800d\udfffe😀')).toEqual([{ text: 'a<U+FFFE>b<U+FFFF>c<U+D800>d<U+DFFF>e😀', classes: [] }])
    expect(plainText('\ufffe😀\udc00')).toBe('<U+FFFE>😀<U+DC00>')
  })

  it('plainText shows controls but keeps line structure', () => {
    expect(plainText('a\r\nb\rc\x00\x1b[31m\td')).toBe('a\nb\nc␀␛[31m\td')
  })
})

describe('parseAnsi: carriage returns', () => {
  it('turns CRLF into LF', () => {
    expect(parseAnsi('a\r\nb\r\n')).toEqual([{ text: 'a\nb\n', classes: [] }])
  })

  it('lets a lone CR overwrite the line, as a progress bar does', () => {
    expect(parseAnsi('progress 10%\rprogress 55%\rprogress 100%\ndone\n')).toEqual([
      { text: 'progress 100%\ndone\n', classes: [] },
    ])
  })

  it('keeps the tail of a longer line that was overwritten by a shorter one', () => {
    expect(parseAnsi('abcdef\rXY')).toEqual([{ text: 'XYcdef', classes: [] }])
  })

  it('erases the rest of the line on ESC [ K', () => {
    expect(parseAnsi(`downloading 99%\rdone${ESC}[K\n`)).toEqual([{ text: 'done\n', classes: [] }])
    expect(parseAnsi(`old text\r${ESC}[2Knew`)).toEqual([{ text: 'new', classes: [] }])
    expect(parseAnsi(`abcdef\rxy${ESC}[1K`)).toEqual([{ text: '   def', classes: [] }])
  })

  it('overwrites styled cells with the new style', () => {
    expect(parseAnsi(`${sgr('31')}aaaa${sgr('0')}\r${sgr('32')}bb`)).toEqual([
      { text: 'bb', classes: ['rb-fg-green'] },
      { text: 'aa', classes: ['rb-fg-red'] },
    ])
  })

  it('never splits a surrogate pair when overwriting', () => {
    expect(parseAnsi('😀😀\rx')).toEqual([{ text: 'x😀', classes: [] }])
  })
})

describe('parseAnsi: merging', () => {
  it('merges adjacent segments with the same classes', () => {
    expect(parseAnsi(`${sgr('31')}a${sgr('31')}b${sgr('1')}${sgr('22')}c${sgr('0')}d${sgr('0')}e`)).toEqual([
      { text: 'abc', classes: ['rb-fg-red'] },
      { text: 'de', classes: [] },
    ])
  })

  it('returns class arrays that share nothing', () => {
    const segments = parseAnsi(`${sgr('31')}abcd\rx${sgr('32')}y`)
    expect(segments.map((s) => s.text)).toEqual(['x', 'y', 'cd'])
    segments[0]!.classes.push('mutated')
    expect(segments[2]!.classes).toEqual(['rb-fg-red'])
  })
})
