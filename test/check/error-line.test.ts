import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { errorLine } from '../../src/check/error-line.js'

const recordings = new URL('../../../shared/piston-recordings/', import.meta.url)
async function recordedStderr(name: string): Promise<string> {
  const recording = JSON.parse(await readFile(new URL(`${name}.json`, recordings), 'utf8'))
  return recording.response.body.run.stderr as string
}

describe('errorLine, on stderr recorded from a real Piston', () => {
  it.each([
    ['python-traceback', 'python', 'main.py', 3],
    ['bash-syntax-error-line', 'bash', 'main.sh', 2],
    ['javascript-throw', 'javascript', 'main.js', 2],
    // "near line 4" there is line 2 of the snippet: Piston's wrapper adds two lines.
    ['sqlite3-error-line', 'sqlite3', 'main.sql', 2],
  ])('%s → line %i of the entry file', async (name, language, entry, line) => {
    expect(errorLine(language, await recordedStderr(name), entry)).toBe(line)
  })

  it('takes the innermost Python frame of the entry file, not of other files', () => {
    const stderr = [
      'Traceback (most recent call last):',
      '  File "/piston/jobs/x/main.py", line 4, in <module>',
      '    helper()',
      '  File "/piston/jobs/x/main.py", line 2, in helper',
      '    util.boom()',
      '  File "/piston/jobs/x/util.py", line 1, in boom',
      'ZeroDivisionError: division by zero',
    ].join('\n')
    expect(errorLine('python', stderr, 'main.py')).toBe(2)
  })

  it('counts one wrapper line per argument for sqlite3', () => {
    expect(errorLine('sqlite3', 'Parse error near line 6: no such table: nope', 'main.sql', 2)).toBe(2)
  })

  it('finds nothing in unrelated text or unknown languages', () => {
    expect(errorLine('python', 'line 3 went wrong', 'main.py')).toBeUndefined()
    expect(errorLine('cobol', 'main.cob: line 3', 'main.cob')).toBeUndefined()
  })
})
