/** A paired shortcode's arguments, as a post writes them: `{% codeRunner "Title", "python", true %}`. */
export interface ShortcodeArgs {
  title: unknown
  language: unknown
  /** False shows the block without running it (`skip`). Default true. */
  run: unknown
}

const quoted = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`

/**
 * The fence a paired shortcode stands for, so its body runs with the same
 * cache key and renders as the same block as the equivalent fence. The fence
 * takes as many lines as the shortcode did, so reported lines stay true.
 */
export function shortcodeFence(content: string, { title, language, run }: ShortcodeArgs): { markdown: string; code: string } {
  if (typeof language !== 'string' || !/^[\w+#.-]+$/.test(language))
    throw new TypeError(`runnable-blog: the shortcode's second argument must be a language name, got ${JSON.stringify(language)}`)
  // The body starts after the opening tag's line break and ends before the closing tag's line.
  const code = String(content).replace(/^\r?\n/, '').replace(/\r?\n[ \t]*$/, '')
  const ticks = '`'.repeat(Math.max(3, ...[...code.matchAll(/`{3,}/g)].map((m) => m[0].length + 1)))
  const meta = [language, run === false ? 'skip' : 'run', typeof title === 'string' && title ? `title=${quoted(title)}` : ''].filter(Boolean).join(' ')
  return { markdown: `${ticks}${meta}\n${code}\n${ticks}`, code }
}

/**
 * Puts the blocks of the shortcodes of a Markdown page into its HTML, after
 * markdown-it rendered it (the Markdown adapter calls it on every page).
 * Nothing to fill yet: the shortcode's fence runs with the page's Markdown.
 */
export function fillShortcodeBlocks(html: string): string {
  return html
}
