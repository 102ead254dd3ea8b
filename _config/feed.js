// The Atom feed's filters (content/feed.njk).
import { rebaseLinks } from './links.js'

/** Characters XML 1.0 cannot carry, even escaped (controls, lone surrogates, U+FFFE, U+FFFF). */
const NOT_XML = /[^\t\n\r\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu

/** A post's HTML for the feed: root-relative links made absolute (a feed reader has no page to resolve them against), and only characters XML allows. */
export function feedHtml(html, base) {
  return rebaseLinks(html, base).replace(NOT_XML, '\ufffd')
}

/** The site's absolute URL under its path prefix (`--pathprefix=/blog/`, applied by Eleventy's `url` filter to `/`). */
export const siteBase = (siteUrl, prefixed) => new URL(prefixed.replace(/^\//, ''), siteUrl).href

/** `https://example.com/blog/` + a page URL (`/post/`). */
export const absoluteUrl = (url, base) => new URL(url.replace(/^\//, ''), base).href

/** RFC 3339, as Atom wants, to the second. */
export const rfc3339 = (date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z')

/** The newest `n` posts, newest first. */
export const newest = (posts, n) => [...posts].reverse().slice(0, n)

/** The newest date among the posts (now, for none). */
export const lastUpdated = (posts) => (posts.length ? new Date(Math.max(...posts.map((p) => p.date.getTime()))) : new Date())
