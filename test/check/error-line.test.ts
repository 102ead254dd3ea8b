import { describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { errorExcerpt } from '../../src/check/error-excerpt.js'
import { errorPlace, type ErrorPlace } from '../../src/check/error-line.js'
import type { ExecuteRequest, ExecuteResponse } from '../../src/execution/types.js'
import gcc from './fixtures/piston-3.1.1-gcc.json' with { type: 'json' }
import recorded from './fixtures/piston-3.1.1-errors.json' with { type: 'json' }

const run = promisify(execFile)
type Exchange = { request: ExecuteRequest; response: ExecuteResponse }
const exchanges = { ...recorded, ...gcc } as unknown as Record<string, Exchange>

/** stderr of the stage that failed, as the build sees it once the job folder is removed. */
function stderrOf(name: string): string {
  const { response } = exchanges[name]!
  return (response.compile ?? response.run).stderr.replace(/\/piston\/jobs\/[0-9a-f-]{36}\//g, '')
}

describe('errorPlace, on stderr from a real Piston 3.1.1', () => {
  it.each<[string, string, string, ErrorPlace]>([
    // The column where Python's carets start, past the line's indent: "print(x / y)" over "      ~~^~~".
    ['python-traceback', 'python', 'main.py', { line: 3, column: 7, pastIndent: true }],
    ['bash-syntax-error-line', 'bash', 'main.sh', { line: 2, column: undefined }],
    // The column from Node's first frame on that line.
    ['javascript-throw', 'javascript', 'main.js', { line: 2, column: 7 }],
    // "near line 4" there is line 2 of the snippet: Piston's wrapper adds two lines.
    ['sqlite3-error-line', 'sqlite3', 'main.sql', { line: 2 }],
    // Piston's gcc script compiles main.c as main.c.c, main.cpp as main.cpp.cpp.
    ['c-compile-error', 'c', 'main.c', { line: 3, column: 19 }],
    ['cpp-compile-error', 'c++', 'main.cpp', { line: 3, column: 22 }],
  ])('%s: the line and column of the entry file', (name, language, entry, place) => {
    expect(errorPlace(language, stderrOf(name), entry)).toEqual(place)
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
    expect(errorPlace('python', stderr, 'main.py')).toEqual({ line: 2 })
  })

  it('counts Python’s carets past the line’s indent, and gives no column where it prints none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'error-line-'))
    try {
      const cases: [string, ErrorPlace][] = [
        // A syntax error: the caret after "a", where the colon is missing.
        ['def f(a):\n    if a\n        return 1\n', { line: 2, column: 5, pastIndent: true }],
        // The innermost frame of the entry file, indented: "x["b"]" starts at 7 past the indent.
        ['x = {}\ndef f():\n        print(x["b"])\nf()\n', { line: 3, column: 7, pastIndent: true }],
        // The whole line fails: Python prints no carets.
        ['x = 1\n  \nif True:\n  undefined_name\n', { line: 4 }],
      ]
      for (const [code, place] of cases) {
        await writeFile(join(dir, 'main.py'), code)
        const { stderr } = await run('python3', ['main.py'], { cwd: dir }).catch((e: { stderr: string }) => e)
        expect(errorPlace('python', stderr, 'main.py'), stderr).toEqual(place)
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('counts one wrapper line per argument for sqlite3', () => {
    expect(errorPlace('sqlite3', 'Parse error near line 6: no such table: nope', 'main.sql', 2)).toEqual({ line: 2 })
  })

  it('takes the first error of a compile, by the name gcc was given locally too, and not a warning or another file', () => {
    const stderr = [
      "util.h:1:5: error: expected ';'",
      "main.c:2:3: warning: unused variable 'x'",
      "main.c:4:19: error: expected ';' before 'return'",
      "main.c:7:1: error: expected declaration",
    ].join('\n')
    expect(errorPlace('c', stderr, 'main.c')).toEqual({ line: 4, column: 19 })
    expect(errorPlace('c++', "main.cpp:5:2: fatal error: nope.h: No such file or directory", 'main.cpp')).toEqual({ line: 5, column: 2 })
  })

  it('finds nothing in unrelated text or unknown languages', () => {
    expect(errorPlace('python', 'line 3 went wrong', 'main.py')).toBeUndefined()
    expect(errorPlace('cobol', 'main.cob: line 3', 'main.cob')).toBeUndefined()
  })
})

describe('errorExcerpt, on output from a real Piston 3.1.1', () => {
  const excerpt = (name: string) => {
    const { response } = exchanges[name]!
    return errorExcerpt(response.language, { ...(response.compile ?? response.run), stderr: stderrOf(name) })
  }

  it('shows the error and the failing line of JavaScript, not Node’s own frames', () => {
    expect(excerpt('javascript-throw')).toBe(
      ['main.js:2', 'throw new Error("boom")', '^', '', 'Error: boom', '    at Object.<anonymous> (main.js:2:7)'].join('\n'),
    )
  })

  it('shows the compiler’s error, not the chmod noise after it', () => {
    expect(excerpt('c-compile-error')).toBe(
      ["main.c.c:3:19: error: expected ';' before 'return'", '    3 |     printf("hi\\n")', '      |                   ^', '      |                   ;', '    4 |     return 0;', '      |     ~~~~~~'].join('\n'),
    )
    expect(excerpt('cpp-compile-error')).toMatch(/^main\.cpp\.cpp:3:22: error: expected ';' before 'return'\n/)
  })

  it('keeps the last lines of a Python traceback, and bash and sqlite3 errors whole', () => {
    expect(excerpt('python-traceback')).toBe(
      ['Traceback (most recent call last):', '  File "main.py", line 3, in <module>', '    print(x / y)', '          ~~^~~', 'ZeroDivisionError: division by zero'].join('\n'),
    )
    expect(excerpt('bash-syntax-error-line')).toBe("main.sh: line 2: syntax error near unexpected token `then'\nmain.sh: line 2: `if then'")
    expect(excerpt('sqlite3-error-line')).toBe('Parse error near line 4: no such table: nope')
  })

  it('keeps, before a traceback cut to its last lines, the innermost frame of the program\'s own files, and says where it cut', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rb-excerpt-'))
    try {
      await writeFile(join(dir, 'main.py'), 'import json\njson.loads("{bad")\n')
      const { stderr } = await run('python3', ['main.py'], { cwd: dir }).catch((e: { stderr: string }) => e)
      const lines = errorExcerpt('python', { stdout: '', stderr }, ['main.py'])!.split('\n')
      expect(stderr.split('\n').length).toBeGreaterThan(8)
      expect(lines[0]).toMatch(/^ {2}File "(.*\/)?main\.py", line 2, in <module>$/)
      expect(lines[1]).toBe('    json.loads("{bad")')
      // Cut at a frame: the library's innermost one, whole, then the error.
      expect(lines[2]).toBe('…')
      expect(lines[3]).toMatch(/^ {2}File ".*decoder\.py", line \d+, in raw_decode$/)
      expect(lines.at(-1)).toMatch(/^json\.decoder\.JSONDecodeError: /)
      // Without the program's files named, the tail alone, from a frame, marked as cut.
      expect(errorExcerpt('python', { stdout: '', stderr })!.split('\n').slice(0, 2)).toEqual(['…', lines[3]])
      // Endless recursion: the repeated frame, whole, and the error.
      await writeFile(join(dir, 'main.py'), 'def f(n): return f(n + 1)\nf(0)\n')
      const recursion = await run('python3', ['main.py'], { cwd: dir }).catch((e: { stderr: string }) => e)
      const repeated = errorExcerpt('python', { stdout: '', stderr: recursion.stderr }, ['main.py'])!.split('\n')
      expect(repeated[0]).toBe('…')
      expect(repeated[1]).toMatch(/^ {2}File "(.*\/)?main\.py", line 1, in f$/)
      expect(repeated[2]).toBe('    def f(n): return f(n + 1)')
      expect(repeated.at(-1)).toMatch(/^RecursionError: /)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('keeps, after a JavaScript error thrown in a library (JSON.parse), the program\'s own frame', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rb-excerpt-'))
    try {
      await writeFile(join(dir, 'main.js'), 'const data = JSON.parse("{bad")\n')
      const { stderr } = await run(process.execPath, ['main.js'], { cwd: dir }).catch((e: { stderr: string }) => e)
      const lines = errorExcerpt('javascript', { stdout: '', stderr }, ['main.js'])!.split('\n')
      expect(lines.slice(0, 2)).toEqual([expect.stringMatching(/:1$/), '{bad'])
      expect(lines).toContainEqual(expect.stringMatching(/^SyntaxError: /))
      expect(lines.slice(-2)).toEqual(['…', expect.stringMatching(/^ {4}at Object\.<anonymous> \((.*\/)?main\.js:1:19\)$/)])
      // A throw in the program's own code names it in the lines kept already: nothing added.
      const thrown = exchanges['javascript-throw']!.response.run
      expect(errorExcerpt('javascript', { ...thrown, stderr: stderrOf('javascript-throw') }, ['main.js'])).toBe(excerpt('javascript-throw'))
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('falls back to stdout, and to nothing', () => {
    expect(errorExcerpt('python', { stdout: 'only\nstdout\n', stderr: '' })).toBe('only\nstdout')
    expect(errorExcerpt('python', { stdout: '', stderr: '' })).toBeUndefined()
  })
})
