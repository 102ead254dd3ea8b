import { describe, expect, it } from 'vitest'
import { VFile } from 'vfile'
import { annotations, jobSummary } from '../../src/report/github.js'
import { report } from '../../src/markdown/rules.js'
import { formatMessages } from '../../src/report/format.js'

function fileWithProblems() {
  const file = new VFile({ path: 'content/a,b.md', value: '' })
  const error = report(file, { ruleId: 'snippet-failed', reason: 'python snippet "50%: done" failed', place: { line: 3, column: 2 } })
  error.note = 'line one\nline two'
  report(file, { ruleId: 'unknown-option', reason: 'unknown option "tittle"', place: { line: 1, column: 9 } })
  file.data.snippets = [
    { line: 3, column: 1, language: 'python', status: 'failed', live: false, program: { key: 'k1', source: 'ran' } },
    { line: 9, column: 1, language: 'bash', status: 'passed', live: false, program: { key: 'k2', source: 'cache' } },
    { line: 12, column: 1, language: 'bash', status: 'passed', live: false, program: { key: 'k2', source: 'cache' } },
  ]
  return file
}

describe('GitHub reporting', () => {
  it('escapes workflow-command data and properties', () => {
    expect(annotations([fileWithProblems()])).toEqual([
      '::error file=content/a%2Cb.md,line=3,col=2,title=snippet-failed::python snippet "50%25: done" failed%0Aline one%0Aline two',
      '::warning file=content/a%2Cb.md,line=1,col=9,title=unknown-option::unknown option "tittle"',
    ])
  })

  it('annotates a note as a notice', () => {
    const file = new VFile({ path: 'content/a.md', value: '' })
    report(file, { ruleId: 'confirmed-result', reason: 'ran again alone', place: { line: 2, column: 1 } })
    expect(annotations([file])).toEqual(['::notice file=content/a.md,line=2,col=1,title=confirmed-result::ran again alone'])
  })

  it('names the file alone for a problem whose line is not known, never a made-up line', () => {
    const file = new VFile({ path: 'content/loop.njk', value: '' })
    report(file, { ruleId: 'snippet-failed', reason: 'python snippet failed (line unknown: rendered from a template)' })
    expect(annotations([file])).toEqual(['::error file=content/loop.njk,title=snippet-failed::python snippet failed (line unknown: rendered from a template)'])
    expect(jobSummary([file])).toContain('- `content/loop.njk` python snippet failed (line unknown: rendered from a template)')
    expect(formatMessages([file])).toEqual(['content/loop.njk: error  python snippet failed (line unknown: rendered from a template)  [snippet-failed]'])
  })

  it('summarises posts with snippets or problems in a Markdown table with each failure', () => {
    const warned = new VFile({ path: 'content/warned.md', value: '' })
    report(warned, { ruleId: 'unchecked-output', reason: 'not checked', place: { line: 4, column: 1 } })
    warned.data.snippets = [{ line: 2, column: 1, language: 'bash', status: 'passed', live: false, program: { key: 'k3', source: 'cache' } }]
    const summary = jobSummary([fileWithProblems(), new VFile({ path: 'content/prose.md', value: '' }), warned])
    expect(summary).toContain('4 snippets: 3 passed, 1 failed, 0 skipped; 3 programs: 2 cached, 1 ran (1 error, 2 warnings)')
    expect(summary.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| post') && !line.startsWith('| ---'))).toEqual([
      '| ❌ `content/a,b.md` | 3 | 2 | 1 | 0 | 2 | 1 | 1 |',
      '| ⚠️ `content/warned.md` | 1 | 1 | 0 | 0 | 1 | 1 | 0 |',
    ])
    expect(summary).toContain('- `content/a,b.md:3:2` python snippet "50%: done" failed')
  })

  it('escapes a colon in a property: content/a:b.md cannot end the command early', () => {
    const file = new VFile({ path: 'content/a:b.md', value: '' })
    report(file, { ruleId: 'snippet-failed', reason: 'failed', place: { line: 2, column: 1 } })
    expect(annotations([file])).toEqual(['::error file=content/a%3Ab.md,line=2,col=1,title=snippet-failed::failed'])
  })

  it('carries workflow commands in a note as text, in annotations and the job summary', () => {
    const file = new VFile({ path: 'content/a.md', value: '' })
    const error = report(file, { ruleId: 'snippet-failed', reason: 'x ##[error]forged', place: { line: 2, column: 1 } })
    error.note = '::add-mask::x\n  ::stop-commands::tok'
    expect(annotations([file])).toEqual(['::error file=content/a.md,line=2,col=1,title=snippet-failed::x \\x23#[error]forged%0A\\x3a:add-mask::x%0A  \\x3a:stop-commands::tok'])
    expect(jobSummary([file])).toContain('- `content/a.md:2:1` x \\x23#[error]forged')
  })
})
