/**
 * The runnable step inside the site's own markdown-it: the site keeps its
 * instance, options, highlighter and `amendLibrary` plugins, and only the
 * fences this package owns are handed to the core.
 */
import type { Code, Root, RootContent } from 'mdast'
import { infoParts, mayBeOwnFence } from '../../markdown/collect.js'
import type { RunnableHost } from '../host.js'
import { pageLines } from './source.js'

/** The part of markdown-it's API used here (declared, not imported: markdown-it is Eleventy's dependency, not ours). */
export interface MarkdownIt {
  parse(src: string, env: object): MarkdownItToken[]
  render(src: string, env?: object): string | Promise<string>
}
interface MarkdownItToken {
  type: string
  tag: string
  info: string
  content: string
  markup: string
  map: [number, number] | null
}

/** What Eleventy passes markdown-it as `env`: the page's data. */
export interface PageData {
  page?: { inputPath?: unknown; url?: unknown }
}


/**
 * Wraps `md.render` (Eleventy awaits it): markdown-it parses the page; when
 * a fence may be ours, the core runs the page's fences, and each fence it
 * renders becomes an HTML block holding its block in the token stream; then
 * the site's render (its renderer, fence rule and highlighter, and any
 * wrapper of `render` a plugin put before ours) renders those tokens, and
 * `finish` sees the HTML with the page's data (to fill the shortcode's
 * placeholders, and to put the stylesheet into a bundle). A page without such
 * a fence, or a call without a page (a filter of the site's), renders at
 * once, as before: a string, not a promise.
 */
export function runnableMarkdownIt(md: MarkdownIt, host: RunnableHost, finish: (html: string, env: PageData) => string): void {
  const render = md.render
  const parse = md.parse
  // The wrapped render parses again: it gets the tokens already parsed (and changed), by its `env`, at once, so no
  // other page can come between. (The parse is replaced once: putting a new one on the instance for each page made
  // V8 keep every page's tokens alive far longer, 1.7x the peak heap at 2,000 pages.)
  const parsed = new WeakMap<object, MarkdownItToken[]>()
  md.parse = (src, env) => {
    const tokens = parsed.get(env)
    if (!tokens) return parse.call(md, src, env)
    parsed.delete(env)
    return tokens
  }
  md.render = (src, env = {}) => {
    const tokens = parse.call(md, src, env)
    const rendered = () => {
      parsed.set(env, tokens)
      try {
        const html = render.call(md, src, env)
        return typeof html === 'string' ? finish(html, env) : html.then((text) => finish(text, env))
      } finally {
        parsed.delete(env)
      }
    }
    const { page } = env as PageData
    const fences = tokens.filter((t) => t.type === 'fence' && t.map)
    const ours = host.settings.highlightAllFences ? fences.length > 0 : fences.some((t) => mayBeOwnFence(infoParts(t.info)))
    if (!ours || typeof page?.inputPath !== 'string') return rendered()
    return renderFences(host, src, tokens, { path: page.inputPath, id: typeof page.url === 'string' ? page.url : undefined }).then(rendered)
  }
}

async function renderFences(host: RunnableHost, src: string, tokens: MarkdownItToken[], page: { path: string; id?: string }): Promise<void> {
  const lines = src.split('\n')
  const children: RootContent[] = []
  const nodes = new Map<Code, MarkdownItToken>()
  tokens.forEach((token, i) => {
    if (token.type !== 'fence' || !token.map) return
    // Two fences are siblings only with nothing between them: an output fence must directly follow its run fence.
    if (children.length && tokens[i - 1]?.type !== 'fence') children.push({ type: 'thematicBreak' })
    const node = codeNode(token, lines)
    children.push(node)
    nodes.set(node, token)
  })
  // The page's lines in its source file, through whatever Liquid or Nunjucks did to them (see source.ts).
  const { lineOffset, lineMap } = pageLines(page.path, src)
  const html = await host.renderFences({
    ...page,
    markdown: src,
    fences: { type: 'root', children } satisfies Root,
    sourceLine: lineMap ?? ((line) => line + lineOffset),
  })
  // The renderer's HTML block rule writes a token's content as it is.
  for (const [node, text] of html) Object.assign(nodes.get(node)!, { type: 'html_block', tag: '', content: text ? `${text}\n` : '' })
}

/** The mdast `code` node remark would make of a fence token, positioned in the page's Markdown. */
function codeNode(token: MarkdownItToken, lines: string[]): Code {
  const [first, after] = token.map!
  const opening = lines[first] ?? ''
  return {
    type: 'code',
    ...infoParts(token.info),
    // markdown-it keeps the newline before the closing fence; remark does not.
    value: token.content.replace(/\n$/, ''),
    position: {
      start: { line: first + 1, column: Math.max(0, opening.indexOf(token.markup)) + 1 },
      end: { line: after, column: (lines[after - 1] ?? '').length + 1 },
    },
  }
}
