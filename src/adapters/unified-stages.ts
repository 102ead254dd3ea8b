/**
 * The unified stages a host takes whole pages through (Astro's entries,
 * `check`, a template call's fence): remark with GFM up to the runnable
 * step, then on to HTML. Loaded on the first page that needs them: an
 * Eleventy site's markdown-it hands over its fences alone, and its builds
 * never load remark.
 */
import rehypeStringify from 'rehype-stringify'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { type PluggableList, type Processor, unified } from 'unified'
import skipLeadingNewlines from '../markdown/leading-lines.js'
import remarkRunnable, { type RemarkRunnableOptions } from '../markdown/plugin.js'
import rehypeHighlightFences from '../render/rehype-highlight.js'
import type { RunnableSettings } from './options.js'

export interface UnifiedStages {
  /** Up to the runnable step: all a check needs (every problem is known by then). */
  markdown: Processor
  /** The whole page to HTML. */
  html: Processor
  /**
   * `markdown` for an MDX page (`check` on an Astro site): JSX, expressions
   * and comments read as MDX reads them, so that a fence is one exactly where
   * MDX has one (right after `<TabItem>`, indented inside it, not inside
   * `{/* … *\/}`). remark-mdx is loaded on the first MDX page.
   */
  mdx(): Promise<Processor>
}

export function unifiedStages(settings: RunnableSettings, options: RemarkRunnableOptions): UnifiedStages {
  const upToRunnable = (syntax: PluggableList = []) =>
    unified().use(remarkParse).use(syntax).use(skipLeadingNewlines).use(remarkGfm).use(settings.remarkPlugins).use(remarkRunnable, options) as unknown as Processor
  const markdown = upToRunnable()
  const html = markdown()
    // Raw HTML in a post passes through as the host's own Markdown library would let it.
    .use(remarkRehype, { allowDangerousHtml: true })
    .use(settings.rehypePlugins)
    .use(settings.highlightAllFences && settings.highlight ? [[rehypeHighlightFences, settings.highlight]] : [])
    .use(rehypeStringify, { allowDangerousHtml: true }) as unknown as Processor
  let mdx: Promise<Processor> | undefined
  return { markdown, html, mdx: () => (mdx ??= import('remark-mdx').then(({ default: remarkMdx }) => upToRunnable([remarkMdx]))) }
}
