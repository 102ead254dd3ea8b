import { describe, expect, it } from 'vitest'
import { checkAssetsDir } from '../../src/adapters/assets-dir.js'
import runnableAstro from '../../src/adapters/astro/index.js'
import runnableEleventy from '../../src/adapters/eleventy/index.js'

describe('assetsDir', () => {
  it.each(['assets', '_runnable', 'static/rb-1.0', 'a_b/c-d'])('accepts %s', (dir) => {
    expect(checkAssetsDir(dir)).toBe(dir)
  })

  it.each(['.assets', 'static/.rb', '..', '../up', 'a/../b', '/abs', 'a//b', 'a/', '', 'a b', 3])('refuses %j: a dot path, a way out, or no folder name', (dir) => {
    expect(() => checkAssetsDir(dir)).toThrow(/^runnable-blog: assetsDir must be a relative folder whose names do not start with a dot, got /)
  })

  it('is checked by both host adapters before they write anything', () => {
    expect(() => runnableAstro({ assetsDir: '.rb' })).toThrow(/assetsDir must be a relative folder/)
    const config = { setLibrary() {}, addPairedShortcode() {}, addTransform() {}, on() {} }
    expect(() => runnableEleventy(config as never, { assetsDir: 'static/.rb' })).toThrow(/assetsDir must be a relative folder/)
  })
})
