/**
 * Build-only: the colours a block paints with, from the code's theme, and
 * the rules that switch them with the site's colour scheme.
 *
 * A block brings its own ground: its background and text are the code
 * theme's, and every other colour (borders, the output area, muted text,
 * buttons, stderr, the 16 terminal colours, the theme's own token colours)
 * is derived from that ground and raised until it reads at WCAG AA (4.5:1)
 * on every background it can sit on. Colours are computed here, as plain
 * hex values, so the stylesheet needs no `color-mix()` and a page measures
 * what it paints.
 *
 * Which ground is used follows the site, not only the OS: the dark one under
 * `prefers-color-scheme: dark` (unless `media` is off) when the root
 * element does not match the site's `light` selector, or whenever it
 * matches the `dark` one (by default `[data-theme=…]` or a `.light`/`.dark`
 * class on `<html>`).
 */

/** What the site's theme switch looks like. */
export interface ColorScheme {
  /** Selector the root element (`<html>`) matches when the site is dark. Default `[data-theme=dark], .dark`. */
  dark: string
  /** Selector the root element matches when the site is light, whatever the OS says. Default `[data-theme=light], .light`. */
  light: string
  /** Follow `prefers-color-scheme` when neither selector matches. Default true. */
  media: boolean
}

export const DEFAULT_COLOR_SCHEME: ColorScheme = { dark: '[data-theme=dark], .dark', light: '[data-theme=light], .light', media: true }

/** Why `selector` cannot go into the stylesheet as a selector list, or undefined. */
export function selectorProblem(selector: unknown): string | undefined {
  if (typeof selector !== 'string' || !selector.trim()) return 'must be a CSS selector'
  // Enough to keep it a selector: nothing that ends a rule or a comment, or opens a block or a tag.
  if (/[{};<]|\/\*|\*\//.test(selector)) return 'must be a CSS selector (no braces, semicolons, comments or <)'
  return undefined
}

/** A theme's ground: its background, its text colour, and its token colours in palette order. */
export interface Ground {
  bg: string
  fg: string
  tokens: string[]
}

type Rgb = [number, number, number]

const parse = (hex: string): Rgb => {
  let h = hex.replace('#', '')
  if (h.length <= 4) h = [...h].map((c) => c + c).join('')
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb
}
/** Blends `hex` over an opaque `under` when it has an alpha channel (`#rrggbbaa`, `#rgba`). */
const opaque = (hex: string, under: Rgb): Rgb => {
  const h = hex.replace('#', '')
  const alpha = h.length === 8 ? parseInt(h.slice(6), 16) / 255 : h.length === 4 ? parseInt(h[3]! + h[3], 16) / 255 : 1
  return mix(parse(hex), under, alpha)
}
const mix = (a: Rgb, b: Rgb, t: number): Rgb => a.map((v, i) => v * t + b[i]! * (1 - t)) as Rgb
const hex = (rgb: Rgb) => `#${rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`
const luminance = (rgb: Rgb) => {
  const [r, g, b] = rgb.map((v) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}
export const contrast = (a: Rgb, b: Rgb) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p)
  return (x! + 0.05) / (y! + 0.05)
}

/** The least change to `colour` (towards black or white, whichever is farther from the grounds) that reads at `ratio` on every one of `grounds`. */
function readable(colour: Rgb, grounds: Rgb[], ratio = 4.6): Rgb {
  const darkGround = luminance(grounds[0]!) < 0.18
  const target: Rgb = darkGround ? [255, 255, 255] : [0, 0, 0]
  for (let t = 0; t <= 1; t += 0.02) {
    const c = mix(target, colour, t)
    if (grounds.every((g) => contrast(c, g) >= ratio)) return c
  }
  return target
}

/** Terminal colours 0–15 as a light and a dark terminal show them, before they are made readable on the ground. */
const ANSI_LIGHT = '#1f2328 #c4302b #18794e #8a5a00 #0550ae #8250df #0e7490 #6e7781 #57606a #d1242f #1a7f37 #9a6700 #0969da #a626a4 #0b7a8a #8c959f'.split(' ')
const ANSI_DARK = '#8b949e #ff7b72 #3fb950 #d29922 #58a6ff #bc8cff #39c5cf #b1bac4 #6e7681 #ffa198 #56d364 #e3b341 #79c0ff #d2a8ff #56d4dd #f0f6fc'.split(' ')

/**
 * The custom properties of one ground (`--rb-t-*`, the theme's; the
 * documented `--rb-*` ones a site may set win over them) and the token
 * colour rules' values. Everything readable on the background, the output
 * area and a marked line.
 */
export function groundProperties({ bg, fg, tokens }: Ground): { properties: string; tokens: string[] } {
  const base = parse(bg)
  const text = opaque(fg, base)
  const dark = luminance(base) < luminance(text)
  const tint = mix(text, base, 0.06)
  const mark = mix(dark ? [227, 179, 65] : [212, 167, 44], base, dark ? 0.16 : 0.22)
  const border = mix(text, base, 0.3)
  const grounds = [base, tint, mark]
  const fix = (colour: string) => hex(readable(opaque(colour, base), grounds))
  const accent = dark ? '#58a6ff' : '#0969da'
  const properties = {
    bg: hex(base),
    fg: fix(fg),
    tint: hex(tint),
    mark: hex(mark),
    'mark-edge': dark ? '#d29922' : '#bf8700',
    border: hex(border),
    muted: fix(hex(mix(text, base, 0.7))),
    button: hex(mix(text, base, 0.1)),
    accent: fix(accent),
    'on-accent': dark ? '#0d1117' : '#ffffff',
    error: fix(dark ? '#ff7b72' : '#cf222e'),
    warn: fix(dark ? '#e3b341' : '#9a6700'),
  }
  const ansi = (dark ? ANSI_DARK : ANSI_LIGHT).map(fix)
  const declarations = [...Object.entries(properties).map(([name, value]) => `--rb-t-${name}:${value}`), ...ansi.map((value, i) => `--rb-t-${i}:${value}`), `--rb-t-scheme:${dark ? 'dark' : 'light'}`]
  return { properties: declarations.join(';'), tokens: tokens.map(fix) }
}

/** Plain code, without a highlighter: GitHub's grounds. */
export const PLAIN_GROUNDS: { light: Ground; dark: Ground } = {
  light: { bg: '#ffffff', fg: '#1f2328', tokens: [] },
  dark: { bg: '#0d1117', fg: '#e6edf3', tokens: [] },
}

/** Where a block or highlighted code starts: the properties are set there. */
const ROOTS = ':is(.rb-snippet,.rb-hl)'

/**
 * The stylesheet part that depends on the themes and the site's switch: each
 * ground's properties on a block (and on code highlighted outside one), the
 * token colours (`rb-lN` light, `rb-dN` dark, as custom properties the
 * scheme picks from), and the rules that pick the light or the dark ground.
 */
export function schemeStylesheet(grounds: { light: Ground; dark: Ground }, scheme: ColorScheme = DEFAULT_COLOR_SCHEME): string {
  const light = groundProperties(grounds.light)
  const dark = groundProperties(grounds.dark)
  const tokenClasses = [...light.tokens.map((c, i) => `.rb-l${i}{--rb-cl:${c}}`), ...dark.tokens.map((c, i) => `.rb-d${i}{--rb-cd:${c}}`)].join('')
  // A token's colour is the current scheme's; a token without one keeps the code's colour.
  const pick = (scheme: 'l' | 'd', ground: typeof light) => [`${ROOTS}{${ground.properties}}`, `.rb-hl .rb-line>span{color:var(--rb-c${scheme})}`]
  const rules = (context: string, [properties, tokens]: string[]) => `${context}${properties}\n${context}${tokens}\n`
  // Light unless dark: by the media query when the root does not say light, or by the root saying dark.
  return [
    `/* Grounds: light by default${scheme.media ? ', dark under prefers-color-scheme: dark' : ''}; the site's switch on <html> (${scheme.light} | ${scheme.dark}) wins */\n`,
    `${tokenClasses}\n`,
    rules('', pick('l', light)),
    scheme.media ? `@media(prefers-color-scheme:dark){\n${rules(`:root:not(${scheme.light}) `, pick('d', dark))}}\n` : '',
    rules(`:root:is(${scheme.dark}) `, pick('d', dark)),
  ].join('')
}
