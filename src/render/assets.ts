/** Build-only: the blocks' stylesheet, as a page gets it. */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { highlightStylesheet, highlightThemes, type HighlightThemes } from './highlight.js'
import type { ColorScheme } from './theme.js'

/** Absolute path of `styles.css`, which sits beside this module: named from the package root's folders, so lib/bundle/ finds it too (scripts/bundle-lib.mjs). */
export const stylesheetPath: string = fileURLToPath(new URL('../render/styles.css', import.meta.url))

/**
 * styles.css, then the grounds and token colours of `themes` (the
 * `highlight` option the blocks were made with: default github-light and
 * github-dark; `false`: plain code's) under the site's colour scheme,
 * without comments: they document the source and would be a quarter of what
 * every reader downloads.
 */
export async function blockStylesheet(themes?: Partial<HighlightThemes> | false, scheme?: ColorScheme): Promise<string> {
  const parts = await Promise.all([readFile(stylesheetPath, 'utf8'), highlightStylesheet(highlightThemes(themes), undefined, scheme)])
  return parts.join('\n').replace(/\/\*[^]*?\*\/\n?/g, '')
}
