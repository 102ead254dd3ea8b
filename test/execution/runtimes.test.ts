import { describe, expect, it } from 'vitest'
import { defaultFileName, frozenLanguageProblem, runtimeLabel } from '../../src/execution/languages.js'
import { resolveRuntime } from '../../src/execution/runtimes.js'
import { editDistance } from '../../src/text/closest.js'
import type { Runtime } from '../../src/execution/types.js'

// The recorded server's runtimes plus a second python and a deno javascript.
const runtimes: Runtime[] = [
  { language: 'bash', version: '5.2.15', aliases: ['sh'] },
  { language: 'javascript', version: '20.20.2', aliases: ['node-javascript', 'node-js', 'javascript', 'js'], runtime: 'node' },
  { language: 'javascript', version: '1.32.3', aliases: ['deno-js', 'deno'], runtime: 'deno' },
  { language: 'python', version: '3.11.2', aliases: ['py', 'py3', 'python3', 'python3.11'] },
  { language: 'python', version: '3.10.0', aliases: ['py', 'py3', 'python3', 'python3.10'] },
  { language: 'sqlite3', version: '3.40.1', aliases: ['sqlite', 'sql'] },
]

function resolved(language: string, selector: string): string {
  const result = resolveRuntime(runtimes, language, selector)
  if (!result.ok) throw new Error(result.message)
  return `${result.runtime.language} ${result.runtime.version}`
}

function failure(language: string, selector: string): string {
  const result = resolveRuntime(runtimes, language, selector)
  if (result.ok) throw new Error(`resolved to ${result.runtime.version}`)
  return result.message
}

describe('resolveRuntime', () => {
  it('matches the canonical name and every alias', () => {
    expect(resolved('python', '*')).toBe('python 3.11.2')
    expect(resolved('py3', '*')).toBe('python 3.11.2')
    expect(resolved('sh', '*')).toBe('bash 5.2.15')
    expect(resolved('sql', '*')).toBe('sqlite3 3.40.1')
    expect(resolved('node-js', '*')).toBe('javascript 20.20.2')
  })

  it('picks the newest version satisfying the SemVer selector, as Piston does', () => {
    expect(resolved('python', '3.x')).toBe('python 3.11.2')
    expect(resolved('python', '3.10')).toBe('python 3.10.0')
    expect(resolved('python', '3.10.0')).toBe('python 3.10.0')
    expect(resolved('python', '<3.11')).toBe('python 3.10.0')
    expect(resolved('python', '~3.11.0')).toBe('python 3.11.2')
  })

  it('keeps runtimes of one language apart through their aliases', () => {
    expect(resolved('deno', '*')).toBe('javascript 1.32.3')
    // The canonical name matches both runtimes; the newest wins.
    expect(resolved('javascript', '*')).toBe('javascript 20.20.2')
  })

  it('suggests the closest name for a typo and lists the installed languages', () => {
    expect(failure('pyhton', '*')).toBe(
      'unknown language "pyhton"; did you mean "python"? Installed languages: bash, javascript, python, sqlite3',
    )
    expect(failure('Bash', '*')).toContain('did you mean "bash"?')
    expect(failure('sqlite4', '*')).toContain('did you mean "sqlite3"?')
  })

  it('does not suggest a far-fetched name', () => {
    expect(failure('cobol', '*')).toBe('unknown language "cobol". Installed languages: bash, javascript, python, sqlite3')
  })

  it('lists the installed versions of the language when none matches', () => {
    expect(failure('py', '2.7')).toBe('no installed python version matches "2.7"; installed: 3.11.2, 3.10.0')
    expect(failure('python', 'latest')).toBe(
      'no installed python version matches "latest" (not a version or SemVer range); installed: 3.11.2, 3.10.0',
    )
  })

  it('says so when nothing is installed', () => {
    expect(resolveRuntime([], 'python', '*')).toEqual({ ok: false, message: 'unknown language "python". Installed languages: none' })
  })
})

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(editDistance('', 'abc')).toBe(3)
    expect(editDistance('same', 'same')).toBe(0)
  })
})

describe('defaultFileName', () => {
  it.each([
    ['python', 'main.py'], ['py', 'main.py'], ['py3', 'main.py'], ['python3.11', 'main.py'],
    ['bash', 'main.sh'], ['sh', 'main.sh'],
    ['sqlite3', 'main.sql'], ['sqlite', 'main.sql'], ['sql', 'main.sql'],
    ['javascript', 'main.js'], ['js', 'main.js'], ['node', 'main.js'],
    ['typescript', 'main.ts'], ['ts', 'main.ts'],
    ['ruby', 'main.rb'], ['go', 'main.go'], ['rust', 'main.rs'],
    ['c', 'main.c'], ['c++', 'main.cpp'], ['cpp', 'main.cpp'],
    ['java', 'Main.java'], ['JavaScript', 'main.js'],
    ['brainfuck', 'main.txt'],
  ])('%s -> %s', (language, name) => {
    expect(defaultFileName(language)).toBe(name)
  })
})

describe('runtimeLabel', () => {
  it('names the language and version that ran', () => {
    expect(runtimeLabel({ language: 'python', version: '3.11.2' })).toBe('python 3.11.2')
  })
})

describe('frozenLanguageProblem', () => {
  it('names a language neither known nor committed, and trusts the languages of committed results and aliases', () => {
    expect(frozenLanguageProblem('cobol', new Set())).toBe('unknown language "cobol" (no committed result is in it, and a frozen build cannot ask the server)')
    expect(frozenLanguageProblem('cobol', new Set(['cobol']))).toBeUndefined()
    expect(frozenLanguageProblem('py3', new Set())).toBeUndefined()
    expect(frozenLanguageProblem('python3.11', new Set())).toBeUndefined()
    expect(frozenLanguageProblem('Bash', new Set())).toBeUndefined()
  })
})
