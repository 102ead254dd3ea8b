/**
 * Build-only: syntax highlighting with Shiki, as classes rather than inline
 * styles (a page under a strict Content-Security-Policy, `style-src 'self'`,
 * would drop every `style=` attribute). Each token gets the index of its
 * colour in the light and in the dark theme's palette (`rb-l3 rb-d7`), and
 * `highlightStylesheet` gives both palettes to the stylesheet (theme.ts), which
 * picks one by the site's colour scheme. The palettes come from the themes,
 * not the pages, so the stylesheet is known before any page renders.
 */
import type { Element, ElementContent } from 'hast'
import type { HighlighterGeneric } from 'shiki'
import { bundledLanguages } from 'shiki/langs'
import { bundledThemes } from 'shiki/themes'
import { type ColorScheme, type Ground, PLAIN_GROUNDS, schemeStylesheet } from './theme.js'

/** Which Shiki themes colour code, one per colour scheme. */
export interface HighlightThemes {
  /** Default `github-light`. */
  light: string
  /** Default `github-dark`. */
  dark: string
}

export const DEFAULT_THEMES: HighlightThemes = { light: 'github-light', dark: 'github-dark' }

/** Marks a `pre` whose code this package highlighted, so that a host's highlighter leaves it alone. */
export const HIGHLIGHTED_ATTRIBUTE = 'dataRbHighlighted'

/** Fence languages that Shiki knows by another name. */
const ALIASES: Record<string, string> = { sqlite3: 'sql', output: 'text' }

/** Highlights `code` as `language` (plain text when Shiki does not know it); `marked` lines (from 1) get `rb-mark`. */
export type Highlight = (code: string, language: string, marked?: ReadonlySet<number>) => ElementContent[]

/** Why `themes` cannot be used, or undefined. */
export function themesProblem(themes: Partial<HighlightThemes>): string | undefined {
  for (const [scheme, name] of Object.entries(themes)) {
    if (!['light', 'dark'].includes(scheme)) return `${scheme} is not a colour scheme (light, dark)`
    if (typeof name !== 'string' || !(name in bundledThemes)) return `${scheme} must name one of Shiki's themes (e.g. github-light), got ${JSON.stringify(name)}`
  }
  return undefined
}

type Shiki = HighlighterGeneric<string, string>
const instances = new Map<string, Promise<Shiki>>()

/**
 * One Shiki per theme pair and process; languages are loaded as pages need
 * them. Shiki itself is loaded then too: a build that highlights nothing
 * never pays for it (the names above are light lists).
 */
function shiki({ light, dark }: HighlightThemes): Promise<Shiki> {
  const key = `${light} ${dark}`
  let instance = instances.get(key)
  if (!instance) instances.set(key, (instance = import('shiki').then(({ createHighlighter }) => createHighlighter({ themes: [light, dark], langs: [] }) as Promise<Shiki>)))
  return instance
}

const shikiLanguage = (language: string) => {
  const name = ALIASES[language.toLowerCase()] ?? language.toLowerCase()
  return name in bundledLanguages ? name : 'text'
}

/** Each theme's colours in a fixed order: a token's class is its colour's index here. */
function palette(highlighter: Shiki, theme: string) {
  const { fg, bg, settings } = highlighter.getTheme(theme)
  const colors = [...new Set([fg, ...settings.map((s) => s.settings?.foreground)].filter((c): c is string => !!c).map((c) => c.toLowerCase()))]
  return { fg, bg, colors, index: new Map(colors.map((c, i) => [c, i])) }
}

/** Shiki's font style bits, as the classes the ANSI output uses too. */
const FONT_STYLES: Array<[number, string]> = [
  [1, 'rb-italic'],
  [2, 'rb-bold'],
  [4, 'rb-underline'],
]

/** A highlighter with `languages` loaded, synchronous from then on. */
export async function loadHighlight(themes: HighlightThemes, languages: Iterable<string>): Promise<Highlight> {
  const highlighter = await shiki(themes)
  const wanted = new Set([...languages].map(shikiLanguage))
  wanted.delete('text')
  const loaded = highlighter.getLoadedLanguages()
  const missing = [...wanted].filter((l) => !loaded.includes(l))
  await Promise.all(missing.map((l) => highlighter.loadLanguage(l as never)))
  // Shiki 3.23 colours the first line it tokenizes with a newly loaded grammar wrongly (every
  // token in the colour of the first), now and then; one throwaway line takes that turn.
  for (const lang of missing) highlighter.codeToTokens('warm up\nwarm up', { lang, theme: themes.light })
  const light = palette(highlighter, themes.light)
  const dark = palette(highlighter, themes.dark)

  return (code, language, marked) => {
    const lines = highlighter.codeToTokensWithThemes(code, { lang: shikiLanguage(language), themes: { light: themes.light, dark: themes.dark } })
    const children: ElementContent[] = []
    lines.forEach((tokens, i) => {
      if (i) children.push({ type: 'text', value: '\n' })
      const line: Element = { type: 'element', tagName: 'span', properties: { className: marked?.has(i + 1) ? ['rb-line', 'rb-mark'] : ['rb-line'] }, children: [] }
      for (const { content, variants } of tokens) {
        const l = light.index.get(variants.light?.color?.toLowerCase() ?? '')
        const d = dark.index.get(variants.dark?.color?.toLowerCase() ?? '')
        const className = l || d ? [`rb-l${l ?? 0}`, `rb-d${d ?? 0}`] : []
        const style = variants.light?.fontStyle ?? 0
        for (const [bit, name] of FONT_STYLES) if (style > 0 && style & bit) className.push(name)
        line.children.push(className.length ? { type: 'element', tagName: 'span', properties: { className }, children: [{ type: 'text', value: content }] } : { type: 'text', value: content })
      }
      children.push(line)
    })
    return children
  }
}

/**
 * What a page needs after styles.css: the grounds of `themes` (or plain
 * code's, when nothing is highlighted), their token colours, and the rules
 * that pick one by the site's colour scheme (theme.ts).
 */
export async function highlightStylesheet(themes: HighlightThemes | false, scheme?: ColorScheme): Promise<string> {
  if (!themes) return schemeStylesheet(PLAIN_GROUNDS, scheme)
  const highlighter = await shiki(themes)
  const ground = (theme: string): Ground => {
    const { fg, bg, colors } = palette(highlighter, theme)
    return { fg, bg, tokens: colors }
  }
  return `/* Code colours: Shiki's ${themes.light} and ${themes.dark} */\n${schemeStylesheet({ light: ground(themes.light), dark: ground(themes.dark) }, scheme)}`
}
