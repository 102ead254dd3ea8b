import { describe, expect, it } from 'vitest'
import { MAX_NESTING, nestingProblem } from '../../src/markdown/nesting.js'

describe('nestingProblem', () => {
  it('allows nesting up to the limit, and names the line and column where it passes it', () => {
    expect(nestingProblem(`${'>'.repeat(MAX_NESTING)} x`)).toBeUndefined()
    expect(nestingProblem(`intro\r\n\r\n${'>'.repeat(MAX_NESTING + 1)} x`)).toMatchObject({ line: 3, column: MAX_NESTING + 1 })
    expect(nestingProblem(`${'- '.repeat(3)}\n${'> - '.repeat(60)}x`, 100)).toMatchObject({ line: 2, column: 201 })
    // By indentation: two columns (or half a tab) per level at least.
    expect(nestingProblem(`${'\t'.repeat(50)}- x`)).toMatchObject({ line: 1, column: 51 })
    expect(nestingProblem(`${' '.repeat(196)}1. x`)).toBeUndefined()
  })

  it('counts only list markers followed by a blank, not emphasis, rules or code', () => {
    const ordinary = ['***bold***', '---', '* * *', '-1 and +2', '1.5 litres', '    *ptr = 1;', '```yaml', '        - a: 1', '```'].join('\n')
    expect(nestingProblem(ordinary)).toBeUndefined()
    expect(nestingProblem(`${'*'.repeat(500)}\n${'1.'.repeat(500)}`)).toBeUndefined()
  })
})
