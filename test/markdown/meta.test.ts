import { describe, expect, it } from 'vitest'
import { tokenizeMeta, type MetaError } from '../../src/markdown/meta.js'

/** Tokens as [key, value] pairs, when spans do not matter. */
const pairs = (meta: string) => tokenizeMeta(meta).tokens.map((t) => [t.key, t.value])

/** Errors as [offending text, start] so offsets read at a glance. */
const errorsOf = (meta: string) =>
  tokenizeMeta(meta).errors.map((e: MetaError) => [meta.slice(e.start, e.end), e.start, e.message])

describe('tokenizeMeta', () => {
  it('reads nothing from an empty or blank meta', () => {
    expect(tokenizeMeta('')).toEqual({ tokens: [], errors: [] })
    expect(tokenizeMeta(' \t ')).toEqual({ tokens: [], errors: [] })
  })

  it('reads bare flags and key=value pairs with their spans', () => {
    expect(tokenizeMeta('run  timeout=500\tx-y_1')).toEqual({
      tokens: [
        { key: 'run', value: true, start: 0, end: 3 },
        { key: 'timeout', value: '500', start: 5, end: 16 },
        { key: 'x-y_1', value: true, start: 17, end: 22 },
      ],
      errors: [],
    })
  })

  it('reads an empty value after = as an empty string, not a flag', () => {
    expect(tokenizeMeta('stdin= run')).toEqual({
      tokens: [
        { key: 'stdin', value: '', start: 0, end: 6 },
        { key: 'run', value: true, start: 7, end: 10 },
      ],
      errors: [],
    })
    expect(pairs('stdin=')).toEqual([['stdin', '']])
    expect(pairs(`a="" b=''`)).toEqual([
      ['a', ''],
      ['b', ''],
    ])
  })

  it('keeps = and other punctuation inside an unquoted value', () => {
    expect(pairs('args=a=b version=>=3.10 x=C:\\tmp')).toEqual([
      ['args', 'a=b'],
      ['version', '>=3.10'],
      ['x', 'C:\\tmp'],
    ])
  })

  it('reads double-quoted values with \\", \\\\, \\n and \\t escapes, keeping other backslashes', () => {
    expect(pairs('title="Hello, \\"world\\"" a="x\\\\y" b="\\d+\\n"')).toEqual([
      ['title', 'Hello, "world"'],
      ['a', 'x\\y'],
      ['b', '\\d+\n'],
    ])
    expect(pairs('stdin="Alice\\n3 4" args="a\\tb" path="C:\\\\new"')).toEqual([
      ['stdin', 'Alice\n3 4'],
      ['args', 'a\tb'],
      ['path', 'C:\\new'],
    ])
    // Single quotes stay literal.
    expect(pairs("stdin='Alice\\n3 4'")).toEqual([['stdin', 'Alice\\n3 4']])
    expect(tokenizeMeta('title="a \\" b"').tokens[0]).toEqual({ key: 'title', value: 'a " b', start: 0, end: 14 })
  })

  it('reads single-quoted values literally', () => {
    expect(pairs(`title='say "hi" \\' run`)).toEqual([
      ['title', 'say "hi" \\'],
      ['run', true],
    ])
    expect(pairs(`args="a 'b c'"`)).toEqual([['args', "a 'b c'"]])
  })

  it('reads unicode values and counts offsets in UTF-16 code units', () => {
    expect(tokenizeMeta('title="héllo 🙂" run')).toEqual({
      tokens: [
        { key: 'title', value: 'héllo 🙂', start: 0, end: 16 },
        { key: 'run', value: true, start: 17, end: 20 },
      ],
      errors: [],
    })
    expect(pairs('title=日本語')).toEqual([['title', '日本語']])
  })

  it('splits on any whitespace, including a no-break space', () => {
    expect(pairs('run\u00a0hidden')).toEqual([
      ['run', true],
      ['hidden', true],
    ])
  })

  it('reads a value in typographic quotes as the quoted value meant, and reports them', () => {
    expect(errorsOf('python run title=“Smart quotes” x=1')).toEqual([['“Smart quotes”', 17, 'typographic quotes around the value of title; quote it with " or \'']])
    expect(pairs('run title=“Smart quotes” x=1')).toEqual([['run', true], ['title', 'Smart quotes'], ['x', '1']])
    expect(errorsOf('stdin=„a b“')).toEqual([['„a b“', 6, 'typographic quotes around the value of stdin; quote it with " or \'']])
    // Not closed: an ordinary character of the value.
    expect(pairs('title=“Smart')).toEqual([['title', '“Smart']])
  })

  it('reports an unterminated quote from the quote to the end', () => {
    expect(errorsOf('run title="abc def')).toEqual([['"abc def', 10, 'unterminated " quote in the value of title']])
    expect(errorsOf(`title='abc`)).toEqual([[`'abc`, 6, `unterminated ' quote in the value of title`]])
    // A trailing backslash escapes the closing quote, so the quote never closes.
    expect(errorsOf('title="abc\\"')).toEqual([['"abc\\"', 6, 'unterminated " quote in the value of title']])
    // The tokens before the quote are kept.
    expect(pairs('run title="abc')).toEqual([['run', true]])
  })

  it('reports a value with no key', () => {
    expect(errorsOf('run =abc hidden')).toEqual([['=abc', 4, 'value without an option name; write name=value']])
    expect(errorsOf('=')).toEqual([['=', 0, 'value without an option name; write name=value']])
    expect(errorsOf('="quoted"')).toEqual([['="quoted"', 0, 'value without an option name; write name=value']])
    expect(pairs('run =abc hidden')).toEqual([
      ['run', true],
      ['hidden', true],
    ])
  })

  it('reads a bare quoted item as a text marker (Expressive Code\'s `"print"`), whole', () => {
    expect(pairs(`run "two words" 'single' {1}`)).toEqual([
      ['run', true],
      ['""', 'two words'],
      ['""', 'single'],
      ['{}', '1'],
    ])
    expect(errorsOf(`run 'it''s'`)).toEqual([["'s'", 8, 'unexpected text right after the closing quote of a text marker; add a space or quote the whole value']])
    expect(errorsOf('run "open')).toEqual([['"open', 4, 'unterminated " quote in a text marker']])
  })

  it('reports the first invalid character of a key', () => {
    expect(errorsOf('ti.tle=x run')).toEqual([
      ['.', 2, 'invalid character "." in option name "ti.tle"; use letters, digits, - and _'],
    ])
    expect(errorsOf('tïtle')).toEqual([['ï', 1, 'invalid character "ï" in option name "tïtle"; use letters, digits, - and _']])
    // A character outside the BMP spans two code units.
    expect(tokenizeMeta('a🙂=1').errors).toEqual([
      { message: 'invalid character "🙂" in option name "a🙂"; use letters, digits, - and _', start: 1, end: 3 },
    ])
    // The quoted value of a bad key is skipped whole, not re-read as items.
    expect(errorsOf('a.b="c d" run')).toHaveLength(1)
    expect(pairs('a.b="c d" run')).toEqual([['run', true]])
  })

  it('reports a quote glued to the key without =', () => {
    expect(errorsOf('title"x y" run')).toEqual([['"', 5, 'missing "=" between title and its quoted value']])
    expect(pairs('title"x y" run')).toEqual([['run', true]])
  })

  it('reports text glued after a closing quote, from the glued text to the end of the word', () => {
    const message = 'unexpected text right after the closing quote of the value of title; add a space or quote the whole value'
    expect(errorsOf('title="a"b run')).toEqual([['b', 9, message]])
    expect(errorsOf(`title="a"'b c'x run`)).toEqual([[`'b c'x`, 9, message]])
    expect(errorsOf('title=""run')).toEqual([['run', 8, message]])
    expect(pairs('title="a"b run')).toEqual([['run', true]])
  })

  it('reports a quote in the middle of an unquoted value', () => {
    expect(errorsOf('title=a"b c" run')).toEqual([['"b c"', 7, 'quote in the middle of the value of title; quote the whole value']])
    expect(errorsOf(`x=it's`)).toEqual([[`'s`, 4, `unterminated ' quote in the value of x`]])
  })

  it('keeps going after an error and reports every error in text order', () => {
    const meta = 'run =x a.b title="a"b ok=1 k"v" last="open'
    expect(errorsOf(meta).map(([text, start]) => [text, start])).toEqual([
      ['=x', 4],
      ['.', 8],
      ['b', 20],
      ['"', 28],
      ['"open', 37],
    ])
    expect(pairs(meta)).toEqual([
      ['run', true],
      ['ok', '1'],
    ])
  })

  it('reports both the missing key and the unterminated quote of one item', () => {
    expect(errorsOf('="abc').map(([text, start]) => [text, start])).toEqual([
      ['="abc', 0],
      ['"abc', 1],
    ])
  })
})
