import { readFile } from 'node:fs/promises'
import { expect, it } from 'vitest'
import { optionNames } from '../src/markdown/options.js'

it('documents every fence option in the README', async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8')
  // The fence options' table: the one headed `| option | meaning |`.
  const table = readme.slice(readme.indexOf('| option | meaning |')).split('\n\n')[0]!
  const documented = [...table.matchAll(/^\| `([a-z]+)` \|/gm)].map((m) => m[1])
  expect(new Set(documented)).toEqual(new Set(optionNames))
})
