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

  describe('emphasis, strikethrough and links', () => {
    const reason = 'emphasis, strikethrough and links nest more than 100 levels deep here, more than the Markdown stages can take; the page gets no body'
    it.each([
      ['emphasis', (n: number) => `${'*a '.repeat(n)}b${' a*'.repeat(n)}`, 301],
      ['strong and emphasis mixed', (n: number) => `${'*_'.repeat(n)}x${'_*'.repeat(n)}`, 101],
      ['strikethrough', (n: number) => `${'~~a '.repeat(n)}b${' a~~'.repeat(n)}`, 401],
      ['links', (n: number) => `${'['.repeat(n)}x${'](u)'.repeat(n)}`, 101],
    ])('%s 3,000 deep on one line: at the column where it passes the limit', (_, make, column) => {
      expect(nestingProblem(`intro\n\n${make(3000)}`)).toEqual({ line: 3, column, reason })
      expect(nestingProblem(make(50))).toBeUndefined()
    })

    it('counts through a paragraph, and starts again after a blank line', () => {
      const opened = Array.from({ length: 60 }, () => '*a').join('\n')
      expect(nestingProblem(`${opened}\n${opened}`)).toMatchObject({ line: 101, column: 1, reason })
      expect(nestingProblem(`${opened}\n\n${opened}`)).toBeUndefined()
    })

    it('does not count code, fenced or in spans, nor stars that open nothing', () => {
      const stars = '*p '.repeat(200)
      expect(nestingProblem(`\`\`\`c\n${stars}\n\`\`\`\n`)).toBeUndefined()
      expect(nestingProblem(`~~~~\n${'['.repeat(200)}\n~~~~`)).toBeUndefined()
      expect(nestingProblem(`text \`${'['.repeat(200)}\` and \`\`${stars}\`\``)).toBeUndefined()
      expect(nestingProblem(`${'2 * 3 '.repeat(200)}\n${'a*b '.repeat(200)}\n${'*a* '.repeat(200)}`)).toBeUndefined()
      // After a fence closes, counting resumes.
      expect(nestingProblem(`\`\`\`\nx\n\`\`\`\n${'['.repeat(200)}`)).toMatchObject({ line: 4, column: 101 })
    })
  })
})
