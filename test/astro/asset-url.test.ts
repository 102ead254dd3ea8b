import { describe, expect, it } from 'vitest'
import { astroAssetUrl } from '../../src/adapters/astro/asset-url.js'

// Astro's own links (createAssetLink): base-absolute, or under build.assetsPrefix without base.
describe('astroAssetUrl', () => {
  it('links from base, with or without its trailing slash, and from the root', () => {
    expect(astroAssetUrl('_runnable/a.css', '/myblog')).toBe('/myblog/_runnable/a.css')
    expect(astroAssetUrl('_runnable/a.css', '/myblog/')).toBe('/myblog/_runnable/a.css')
    expect(astroAssetUrl('_runnable/a.css', '/')).toBe('/_runnable/a.css')
  })

  it('takes assetsPrefix instead of base: one for every file, or the one for the extension, else the fallback', () => {
    expect(astroAssetUrl('_runnable/a.css', '/myblog', 'https://cdn.example/')).toBe('https://cdn.example/_runnable/a.css')
    const perType = { css: 'https://css.example', fallback: 'https://cdn.example/static' }
    expect(astroAssetUrl('_runnable/a.css', '/myblog', perType)).toBe('https://css.example/_runnable/a.css')
    expect(astroAssetUrl('_runnable/a.js', '/myblog', perType)).toBe('https://cdn.example/static/_runnable/a.js')
    expect(astroAssetUrl('_runnable/a.js', '/myblog', '')).toBe('/myblog/_runnable/a.js')
  })
})
