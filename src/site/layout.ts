import type { PostMeta } from './front-matter.js'

/** Site-wide settings the templates need. */
export interface SiteInfo {
  title: string
  /** Root-relative URLs of hashed assets. */
  stylesheet: string
  /** The live-runner script and endpoint; absent when live runs are off. */
  live?: { script: string; endpoint: string }
}

export interface PostPage {
  meta: PostMeta
  slug: string
  /** Rendered body (trusted: made by rehype-stringify from hast). */
  body: string
  /** Some block on the page can be re-run: only then does the live runner load. */
  hasLiveSnippets: boolean
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for HTML content and double- or single-quoted attributes. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]!)
}

function page(site: SiteInfo, title: string, main: string, head = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${escapeHtml(site.stylesheet)}">${head}
</head>
<body>
<header class="site-header"><a href="/">${escapeHtml(site.title)}</a></header>
<main>
${main}
</main>
</body>
</html>
`
}

function dateLine(meta: PostMeta): string {
  const parts = [meta.date ? `<time datetime="${meta.date}">${meta.date}</time>` : '']
  if (meta.tags.length) parts.push(`<span class="tags">${meta.tags.map((t) => `<span class="tag">${escapeHtml(t)}</span>`).join(' ')}</span>`)
  return parts.filter(Boolean).join(' · ')
}

export function postPage(site: SiteInfo, post: PostPage): string {
  // The live runner loads only where it has something to do.
  const head =
    site.live && post.hasLiveSnippets
      ? `\n<meta name="runnable-endpoint" content="${escapeHtml(site.live.endpoint)}">\n<script src="${escapeHtml(site.live.script)}" defer></script>`
      : ''
  const description = post.meta.description ? `\n<meta name="description" content="${escapeHtml(post.meta.description)}">` : ''
  return page(
    site,
    `${post.meta.title} · ${site.title}`,
    `<article>
<h1>${escapeHtml(post.meta.title)}</h1>
<p class="post-meta">${dateLine(post.meta)}</p>
${post.body}
</article>`,
    description + head,
  )
}

export function indexPage(site: SiteInfo, posts: PostPage[]): string {
  const items = posts
    .map((p) => `<li><a href="/${p.slug}/">${escapeHtml(p.meta.title)}</a> <span class="post-meta">${dateLine(p.meta)}</span></li>`)
    .join('\n')
  return page(site, site.title, `<h1>${escapeHtml(site.title)}</h1>\n<ul class="post-list">\n${items}\n</ul>`)
}

/** Newest first; undated posts last, then by title. */
export function byDateDesc(a: PostPage, b: PostPage): number {
  return (b.meta.date ?? '').localeCompare(a.meta.date ?? '') || a.meta.title.localeCompare(b.meta.title)
}
