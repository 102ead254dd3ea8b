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
import type { HighlighterCore, ThemeRegistrationResolved } from 'shiki/core'
import type { BundledLanguage } from 'shiki/langs'
import { type BundledTheme, bundledThemes } from 'shiki/themes'
import { processRenderCache } from './render-cache.js'
import { type ColorScheme, DEFAULT_COLOR_SCHEME, type Ground, PLAIN_GROUNDS, schemeStylesheet } from './theme.js'

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

/** The `highlight` option as given (a partial pair, false, or nothing: the defaults), checked: the themes, or false. */
export function highlightThemes(highlight: Partial<HighlightThemes> | false | undefined): HighlightThemes | false {
  if (highlight === false) return false
  const problem = highlight === undefined || (typeof highlight === 'object' && highlight !== null) ? themesProblem(highlight ?? {}) : 'must be { light, dark } or false'
  if (problem) throw new TypeError(`highlight: ${problem}`)
  return { ...DEFAULT_THEMES, ...highlight }
}

const instances = new Map<string, Promise<HighlighterCore>>()
// Shiki's language list, loaded once with the first highlighter, not with this module: a build whose blocks all come from the render cache never needs it.
let languageList: Promise<typeof import('shiki/langs')> | undefined

/**
 * One Shiki per theme pair and process (shiki/core: nothing but the engine
 * and the two themes; languages are loaded as pages need them). Shiki
 * itself is loaded then too: a build that highlights nothing, or whose
 * blocks all come from the render cache, never pays for it, nor for the
 * list of languages; only the list of themes comes with this module, to
 * check the `highlight` option's names on entry.
 *
 * Oniguruma, Shiki's reference engine, in WebAssembly: its JavaScript regex
 * engine turns a grammar's patterns into JavaScript ones the first time a
 * page uses them, which held the event loop for 250-650 ms at a time in a
 * cold build (and so the engine's job slots idle), and it tokenized the
 * tutorial corpus's 166 blocks in 1.0-1.1 s against Oniguruma's 0.7-0.8 s.
 */
function shiki({ light, dark }: HighlightThemes): Promise<HighlighterCore> {
  const key = `${light} ${dark}`
  let instance = instances.get(key)
  if (!instance) {
    instance = (async () => {
      const [{ createHighlighterCore }, { createOnigurumaEngine }] = await Promise.all([import('shiki/core'), import('shiki/engine/oniguruma')])
      return createHighlighterCore({ engine: createOnigurumaEngine(import('shiki/wasm')), themes: [bundledThemes[light as BundledTheme], bundledThemes[dark as BundledTheme]], langs: [] })
    })()
    instances.set(key, instance)
  }
  return instance
}

/** Shiki's name for a fence language, given Shiki's languages: `text` for one it does not know. */
const shikiLanguage = (known: object, language: string) => {
  const name = ALIASES[language.toLowerCase()] ?? language.toLowerCase()
  return name in known ? name : 'text'
}

/** Each theme's colours in a fixed order: a token's class is its colour's index here. */
function palette({ fg, bg, settings }: ThemeRegistrationResolved) {
  const colors = [...new Set([fg, ...settings.map((s) => s.settings?.foreground)].filter((c): c is string => !!c).map((c) => c.toLowerCase()))]
  return { fg, bg, colors, index: new Map(colors.map((c, i) => [c, i])) }
}

/** A theme as Shiki resolves it, without a highlighter (for the stylesheet, which a warm build still writes). */
async function resolvedTheme(name: string): Promise<ThemeRegistrationResolved> {
  const [{ normalizeTheme }, theme] = await Promise.all([import('shiki/core'), bundledThemes[name as BundledTheme]()])
  return normalizeTheme(theme.default)
}

/** Shiki's font style bits, as the classes the ANSI output uses too. */
const FONT_STYLES: Array<[number, string]> = [
  [1, 'rb-italic'],
  [2, 'rb-bold'],
  [4, 'rb-underline'],
]

/** A highlighter with `languages` loaded, synchronous from then on. */
export async function loadHighlight(themes: HighlightThemes, languages: Iterable<string>): Promise<Highlight> {
  const [{ bundledLanguages }, highlighter] = await Promise.all([(languageList ??= import('shiki/langs')), shiki(themes)])
  const wanted = new Set([...languages].map((language) => shikiLanguage(bundledLanguages, language)))
  wanted.delete('text')
  const loaded = new Set(highlighter.getLoadedLanguages())
  await Promise.all([...wanted].filter((lang) => !loaded.has(lang)).map((lang) => highlighter.loadLanguage(bundledLanguages[lang as BundledLanguage])))
  const light = palette(highlighter.getTheme(themes.light))
  const dark = palette(highlighter.getTheme(themes.dark))
  // No time limit: past Shiki's default 500 ms a line's rest is left one token in one colour, so a
  // busy machine (regexes compile on a grammar's first line) made other HTML than an idle one, now and then.
  const options = { themes: { light: themes.light, dark: themes.dark }, tokenizeTimeLimit: 0 }

  return (code, language, marked) => {
    const lang = shikiLanguage(bundledLanguages, language)
    const lines = highlighter.codeToTokensWithThemes(code, { lang, ...options })
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
 * that pick one by the site's colour scheme (theme.ts). Kept in the render
 * cache (plain code's too, on any host, though a host that takes trees
 * renders its plain blocks anew: making colours readable on the grounds is
 * ~8 ms of a warm build): a warm build that renders every block from there
 * loads no Shiki at all.
 */
export async function highlightStylesheet(themes: HighlightThemes | false, cache = processRenderCache(), scheme: ColorScheme = DEFAULT_COLOR_SCHEME): Promise<string> {
  const key = cache ? cache.key('stylesheet', themes, scheme) : undefined
  const cached = cache && key ? (await cache.get(key))?.[0] : undefined
  if (cached?.type === 'text') return cached.value
  const css = themes ? await themesStylesheet(themes, scheme) : schemeStylesheet(PLAIN_GROUNDS, scheme)
  if (cache && key) await cache.set(key, [{ type: 'text', value: css }])
  return css
}

async function themesStylesheet(themes: HighlightThemes, scheme: ColorScheme): Promise<string> {
  const [light, dark] = await Promise.all([resolvedTheme(themes.light), resolvedTheme(themes.dark)])
  const ground = (theme: ThemeRegistrationResolved): Ground => {
    const { fg, bg, colors } = palette(theme)
    return { fg, bg, tokens: colors }
  }
  return `/* Code colours: Shiki's ${themes.light} and ${themes.dark} */\n${schemeStylesheet({ light: ground(light), dark: ground(dark) }, scheme)}`
}
