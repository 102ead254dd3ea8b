import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from './helpers/project.js'

/** Every relative import of every source file under src/, as `from → to` (paths under src/). */
function imports(): { from: string; to: string }[] {
  const src = join(repoRoot, 'src')
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))
  return files.flatMap((file) =>
    [...readFileSync(join(src, file), 'utf8').matchAll(/\bfrom '(\.{1,2}\/[^']+)'/g)].map((m) => ({
      from: file.split('\\').join('/'),
      to: relative(src, join(src, file, '..', m[1]!)).split('\\').join('/'),
    })),
  )
}

describe('layers (ARCHITECTURE.md)', () => {
  const all = imports()
  it('finds the imports it checks', () => expect(all.length).toBeGreaterThan(50))
  it('nothing outside cli/ imports cli/', () => expect(all.filter((i) => !i.from.startsWith('cli/') && i.to.startsWith('cli/'))).toEqual([]))
  it('the core imports no host adapter', () => {
    const core = ['markdown/', 'hast/', 'execution/', 'cache/', 'render/', 'check/', 'report/']
    expect(all.filter((i) => core.some((c) => i.from.startsWith(c)) && i.to.startsWith('adapters/'))).toEqual([])
  })
  it('execution/ imports nothing from render/ but its outcome words', () =>
    expect(all.filter((i) => i.from.startsWith('execution/') && i.to.startsWith('render/') && i.to !== 'render/outcome.js')).toEqual([]))
})
