import { describe, expect, it } from 'vitest'
import { matchOutput, normalizeOutput, regexProblem } from '../../src/check/output-match.js'

describe('matchOutput', () => {
  it('ignores line endings, trailing spaces and trailing blank lines', () => {
    expect(normalizeOutput('a  \r\nb\t\n\n\n')).toBe('a\nb')
    expect(matchOutput('1\r\n4  \n9\n\n', '1\n4\n9', 'exact')).toBeUndefined()
  })

  it('shows a unified diff for an exact mismatch', () => {
    expect(matchOutput('1\n4\n10\n', '1\n4\n9', 'exact')).toBe(
      ['--- expected', '+++ actual', '@@ -1,3 +1,3 @@', ' 1', ' 4', '-9', '+10'].join('\n'),
    )
  })

  it('contains, unordered and regex', () => {
    expect(matchOutput('x\nthe answer is 42\ny', 'answer is 42', 'contains')).toBeUndefined()
    expect(matchOutput('x\ny', 'answer', 'contains')).toContain('-answer')
    expect(matchOutput('b\na\nc', 'a\nb\nc', 'unordered')).toBeUndefined()
    expect(matchOutput('b\na', 'a\nb\nc', 'unordered')).toContain('-c')
    expect(matchOutput('took 12 ms\n', '^took \\d+ ms$', 'regex')).toBeUndefined()
    expect(matchOutput('took ages\n', '^took \\d+ ms$', 'regex')).toBe('stdout does not match /^took \\d+ ms$/m:\n  took ages')
  })

  it('reports invalid regexes', () => {
    expect(regexProblem('[')).toMatch(/Unterminated character class/)
    expect(regexProblem('a+')).toBeUndefined()
  })
})
