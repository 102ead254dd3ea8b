import { describe, expect, it } from 'vitest'
import { cacheKey } from '../../src/cache/key.js'
import type { ExecuteRequest } from '../../src/execution/types.js'

const base: ExecuteRequest = {
  language: 'python',
  version: '*',
  files: [
    { name: 'main.py', content: 'from util import add\nprint(add(2, 2))\n' },
    { name: 'util.py', content: 'def add(a, b): return a + b\n' },
  ],
  stdin: 'Alice\n3 4',
  args: ['x', 'y z'],
  run_timeout: 1000,
}

describe('cacheKey', () => {
  it('is a stable SHA-256 hex digest', () => {
    expect(cacheKey(base)).toMatch(/^[0-9a-f]{64}$/)
    expect(cacheKey(structuredClone(base))).toBe(cacheKey(base))
  })

  it('does not depend on property order', () => {
    const reordered: ExecuteRequest = {
      run_timeout: 1000,
      args: ['x', 'y z'],
      stdin: 'Alice\n3 4',
      files: base.files,
      version: '*',
      language: 'python',
    }
    expect(cacheKey(reordered)).toBe(cacheKey(base))
  })

  it('is the same for CRLF and LF checkouts', () => {
    const crlf: ExecuteRequest = {
      ...base,
      files: base.files.map((f) => ({ ...f, content: f.content.replace(/\n/g, '\r\n') })),
      stdin: 'Alice\r\n3 4',
    }
    expect(cacheKey(crlf)).toBe(cacheKey(base))
  })

  const changes: Array<[string, Partial<ExecuteRequest>]> = [
    ['language', { language: 'py' }],
    ['version selector', { version: '3.11' }],
    ['entry content', { files: [{ name: 'main.py', content: 'print(5)\n' }, base.files[1]!] }],
    ['entry name', { files: [{ name: 'app.py', content: base.files[0]!.content }, base.files[1]!] }],
    ['extra file content', { files: [base.files[0]!, { name: 'util.py', content: 'def add(a, b): return a - b\n' }] }],
    ['file order', { files: [base.files[1]!, base.files[0]!] }],
    ['stdin', { stdin: 'Bob\n3 4' }],
    ['args', { args: ['x', 'y', 'z'] }],
    ['timeout', { run_timeout: 2000 }],
    ['memory limit', { run_memory_limit: 1_000_000 }],
  ]
  it.each(changes)('changes when the %s changes', (_name, change) => {
    expect(cacheKey({ ...base, ...change })).not.toBe(cacheKey(base))
  })

  it('treats missing and empty stdin or args alike, as Piston does', () => {
    expect(cacheKey({ ...base, stdin: '', args: [] })).toBe(cacheKey({ ...base, stdin: undefined, args: undefined }))
  })
})
