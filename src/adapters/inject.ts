/** What a page gets: the stylesheet and the page script where a block is, and where a block can be re-run, the way to the live runner. */
export interface PageAssets {
  /** The page's URL path (`/posts/hello/`): the asset paths are then under the output folder, linked relative to the page. Without it they are the links (Astro's, from its `base`). */
  pageUrl?: string
  /** Asset paths; no stylesheet link when the page gets the stylesheet another way (an Eleventy bundle). */
  css?: string
  /** The page script (copy buttons, and Run/Edit/Reset where a block can run live). */
  copy: string
  /** The live runner, which the page script imports on a reader's first use, and the endpoint it calls. */
  live?: { script: string; endpoint: string }
}

const attribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

/**
 * Adds the stylesheet and the page script (and, where a block carries a
 * program to re-run, the live endpoint and the runner's address, which the
 * page script loads from on first use) to a page that has runnable
 * blocks, before `</head>`; in a page without one (an Astro Markdown page
 * without a layout), after its doctype, since anything before the doctype
 * would put the page in quirks mode. With `pageUrl` (Eleventy) links are
 * relative to the page, so the site works under any path prefix and from
 * disk; without it (Astro) they are used as given. `js`: the page needs the
 * live runner's file; `copy`: the page script's.
 */
export function injectAssets(html: string, assets: PageAssets): { html: string; css: boolean; js: boolean; copy: boolean } {
  if (!hasBlocks(html)) return { html, css: false, js: false, copy: false }
  const up = assets.pageUrl === undefined ? '' : relativeRoot(assets.pageUrl)
  let tags = assets.css === undefined ? '' : `<link rel="stylesheet" href="${attribute(up + assets.css)}">`
  // The live runner is reachable only where a block carries a program to re-run.
  const js = assets.live !== undefined && html.includes('data-rb-program=')
  if (js) tags += `<meta name="runnable-endpoint" content="${attribute(assets.live!.endpoint)}" data-runner="${attribute(up + assets.live!.script)}">`
  const copy = html.includes('class="rb-copy"') || js
  if (copy) tags += `<script src="${attribute(up + assets.copy)}" defer></script>`
  const head = html.search(/<\/head>/i)
  const at = head < 0 ? (/^\s*<!doctype[^>]*>/i.exec(html)?.[0].length ?? 0) : head
  return { html: html.slice(0, at) + tags + html.slice(at), css: assets.css !== undefined, js, copy }
}

/** Blocks, or code this package highlighted (`highlight.allFences`): HTML that needs the stylesheet. */
export const hasBlocks = (html: string): boolean => html.includes('class="rb-snippet') || html.includes('data-rb-highlighted')

/**
 * An HTML document (a doctype, `<html>` or `<head>`), not a fragment: only a
 * document gets the page assets. Eleventy runs its transforms on fragments
 * too (the `renderTransforms` filter of a feed's entries), where a `<link>`
 * or `<script>` has no place and a page-relative URL is wrong.
 */
export const isHtmlDocument = (html: string): boolean => /^\s*<!doctype|<html[\s>]|<head[\s>]/i.test(html)

/** `/a/b/` → `../../`, `/a/page.html` → `../`, `/` → `` (relative path from a page's folder to the site root). */
function relativeRoot(pageUrl: string): string {
  const depth = pageUrl.split('/').length - 2
  return '../'.repeat(Math.max(0, depth))
}
