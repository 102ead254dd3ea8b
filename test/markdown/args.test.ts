import { describe, expect, it } from 'vitest'
import { splitArgs } from '../../src/markdown/args.js'

describe('splitArgs', () => {
  it('splits on runs of whitespace and ignores leading and trailing space', () => {
    expect(splitArgs('')).toEqual({ args: [] })
    expect(splitArgs('   ')).toEqual({ args: [] })
    expect(splitArgs('  a  b\tc\nd ')).toEqual({ args: ['a', 'b', 'c', 'd'] })
  })

  it('takes single quotes literally', () => {
    expect(splitArgs(`'b c' '\\n' '"x"'`)).toEqual({ args: ['b c', '\\n', '"x"'] })
  })

  it('honours only the shell escapes inside double quotes', () => {
    expect(splitArgs('"a \\"b\\" \\\\ \\$HOME \\`x\\`"')).toEqual({ args: ['a "b" \\ $HOME `x`'] })
    expect(splitArgs('"\\n\\d"')).toEqual({ args: ['\\n\\d'] })
    expect(splitArgs(`"it's"`)).toEqual({ args: ["it's"] })
  })

  it('lets a backslash escape any character outside quotes', () => {
    expect(splitArgs('a\\ b \\"c \\\\ \\\'')).toEqual({ args: ['a b', '"c', '\\', "'"] })
  })

  it('treats backslash-newline as a line continuation', () => {
    expect(splitArgs('a\\\nb')).toEqual({ args: ['ab'] })
    expect(splitArgs('a \\\n b')).toEqual({ args: ['a', 'b'] })
    expect(splitArgs('"a\\\nb"')).toEqual({ args: ['ab'] })
  })

  it('joins adjacent pieces into one argument', () => {
    expect(splitArgs(`a"b c"'d e'f`)).toEqual({ args: ['ab cd ef'] })
  })

  it('keeps empty quoted arguments', () => {
    expect(splitArgs(`'' "" x`)).toEqual({ args: ['', '', 'x'] })
  })

  it('does no expansion and knows no operators', () => {
    expect(splitArgs('$HOME *.txt a|b ; > out `cmd` ~')).toEqual({
      args: ['$HOME', '*.txt', 'a|b', ';', '>', 'out', '`cmd`', '~'],
    })
  })

  it('keeps unicode as is', () => {
    expect(splitArgs('héllo "🙂 x"')).toEqual({ args: ['héllo', '🙂 x'] })
  })

  it('reports an unterminated quote at the opening quote', () => {
    expect(splitArgs(`a 'b c`)).toEqual({ error: "unterminated ' quote", offset: 2 })
    expect(splitArgs('a "b \\"')).toEqual({ error: 'unterminated " quote', offset: 2 })
  })

  it('reports a trailing backslash', () => {
    expect(splitArgs('a b\\')).toEqual({ error: 'backslash at the end with nothing to escape', offset: 3 })
  })
})
