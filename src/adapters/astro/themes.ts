import { type HighlightThemes, themesProblem } from '../../render/highlight.js'
import type { RunnableOptions } from '../options.js'

/** Integrations that colour the site's fences themselves, per colour scheme (Starlight brings Expressive Code). */
const OWN_HIGHLIGHTERS = new Set(['astro-expressive-code', '@astrojs/starlight'])

/** The part of Astro's `markdown` config read here. */
interface MarkdownConfig {
  syntaxHighlight?: unknown
  shikiConfig?: { theme?: unknown; themes?: Record<string, unknown> }
}

/**
 * The blocks' `highlight` option in an Astro site: the one given, else the
 * themes of the site's other fences (`markdown.shikiConfig`), so runnable code
 * looks like the rest: `themes.light` and `themes.dark` when both are set,
 * else `theme` in both schemes (Astro's default: `github-dark`), as the site
 * shows it. A theme given as an object, not a name of Shiki's, is not used.
 */
export function siteThemes(markdown: MarkdownConfig, highlight: RunnableOptions['highlight'], integrations: readonly { name: string }[] = []): RunnableOptions['highlight'] {
  if (highlight === false || (highlight?.light !== undefined && highlight.dark !== undefined)) return highlight
  // There shikiConfig colours no fence: the package's light and dark pair follows the scheme, as those highlighters do.
  if (integrations.some((integration) => OWN_HIGHLIGHTERS.has(integration.name))) return highlight
  const { theme, themes } = markdown.shikiConfig ?? {}
  const site = themes?.light !== undefined && themes.dark !== undefined ? { light: themes.light, dark: themes.dark } : { light: theme, dark: theme }
  if (markdown.syntaxHighlight === false || themesProblem(site as HighlightThemes)) return highlight
  return { ...(site as HighlightThemes), ...highlight }
}
