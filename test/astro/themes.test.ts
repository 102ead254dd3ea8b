/** The blocks' themes in an Astro site: the site's `markdown.shikiConfig`, unless the integration's `highlight` says otherwise. */
import { describe, expect, it } from 'vitest'
import { siteThemes } from '../../src/adapters/astro/themes.js'

describe('siteThemes', () => {
  it("takes shikiConfig.theme in both schemes (Astro's default github-dark), or themes.light and themes.dark", () => {
    expect(siteThemes({ shikiConfig: { theme: 'github-dark' } }, undefined)).toEqual({ light: 'github-dark', dark: 'github-dark' })
    expect(siteThemes({ shikiConfig: { theme: 'nord', themes: { light: 'min-light', dark: 'min-dark' } } }, undefined)).toEqual({ light: 'min-light', dark: 'min-dark' })
    // A themes object without both schemes: the single theme.
    expect(siteThemes({ shikiConfig: { theme: 'nord', themes: { dim: 'min-dark' } } }, undefined)).toEqual({ light: 'nord', dark: 'nord' })
  })

  it("keeps the integration's highlight: false, both of its themes, or adds to the site's what it sets (allFences)", () => {
    const site = { shikiConfig: { theme: 'github-dark' } }
    expect(siteThemes(site, false)).toBe(false)
    expect(siteThemes(site, { light: 'min-light', dark: 'min-dark' })).toEqual({ light: 'min-light', dark: 'min-dark' })
    expect(siteThemes(site, { dark: 'nord', allFences: true })).toEqual({ light: 'github-dark', dark: 'nord', allFences: true })
  })

  it("leaves the package's defaults when the site's theme is an object, not a name of Shiki's, or highlighting is off", () => {
    expect(siteThemes({ shikiConfig: { theme: { name: 'custom', tokenColors: [] } } }, undefined)).toBeUndefined()
    expect(siteThemes({ syntaxHighlight: false, shikiConfig: { theme: 'github-dark' } }, undefined)).toBeUndefined()
  })

  it('leaves the package\'s light and dark pair beside Expressive Code or Starlight, whose fences follow the colour scheme', () => {
    const site = { shikiConfig: { theme: 'github-dark' } }
    expect(siteThemes(site, undefined, [{ name: '@astrojs/mdx' }, { name: 'astro-expressive-code' }])).toBeUndefined()
    expect(siteThemes(site, { allFences: true }, [{ name: '@astrojs/starlight' }])).toEqual({ allFences: true })
  })
})
