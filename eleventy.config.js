// The sample blog: an ordinary Eleventy site that uses runnable-blog the way
// any Eleventy blog would, through its plugin.
import { readFileSync } from 'node:fs'
import runnable from 'runnable-blog/eleventy'
import { absoluteUrl, feedHtml, lastUpdated, newest, rfc3339, siteBase } from './_config/feed.js'
import { rebaseLinks } from './_config/links.js'
import { ATTACHMENTS, isDotPath, symlinksUnder } from './_config/publish.js'

export default function (eleventyConfig) {
  // Snippets, their cache and the live runner; settings come from
  // runnable-blog.config.json and PISTON_URL, PISTON_TOKEN, RUNNABLE_FROZEN.
  eleventyConfig.addPlugin(runnable, { highlight: { allFences: true } })

  // What is published: the posts, public/ at the site's root, and the files
  // beside the posts with an ATTACHMENTS extension, copied as they are. Never
  // a dot path at any depth (.env, .git/, .draft.md, .private/notes.txt:
  // neither a page nor a copy, nor in the index or the feed), and never a
  // symbolic link (one is an error: a server would follow it anywhere).
  eleventyConfig.ignores.add('content/**/.*')
  eleventyConfig.ignores.add('content/**/.*/**')
  eleventyConfig.addTemplateFormats(ATTACHMENTS)
  eleventyConfig.addPassthroughCopy({ public: '/' }, { filter: (path) => !isDotPath(path) })
  eleventyConfig.on('eleventy.before', () => {
    const links = symlinksUnder(['content', 'public'])
    if (links.length) throw new Error(`${links.join(', ')}: a symbolic link is never published (a server would follow it out of the project); put the file itself there`)
  })

  // A page's URL is its file name percent-encoded (`???.md` at `/%3F%3F%3F/`,
  // written to `???/index.html`), so that every name is a link that works.
  eleventyConfig.addUrlTransform(({ url }) => url.split('/').map(encodeURIComponent).join('/'))
  // Links relative to each page: the site works under any sub-path (a GitHub
  // project page) and opened from disk, with no prefix to configure.
  eleventyConfig.addTransform('relative-links', function (html) {
    if (!this.page.outputPath?.endsWith('.html')) return html
    return rebaseLinks(html, '../'.repeat(Math.max(0, this.page.url.split('/').length - 2)) || './')
  })

  // The Atom feed (content/feed.njk): absolute links under the path prefix.
  for (const [name, filter] of Object.entries({ absoluteUrl, feedHtml, lastUpdated, newest, rfc3339, siteBase })) eleventyConfig.addFilter(name, filter)
  eleventyConfig.addFilter('isoDate', (date) => date.toISOString().slice(0, 10))

  // Drafts are left out of the site (npm run check still runs their snippets),
  // unless BUILD_DRAFTS is set; an impossible date is an error at its line.
  eleventyConfig.addPreprocessor('posts', 'md', (data) => {
    checkDate(data.page.inputPath)
    if (data.draft && !process.env.BUILD_DRAFTS) return false
  })

  return {
    dir: { input: 'content', includes: '../_includes', data: '../_data', output: 'dist' },
    markdownTemplateEngine: 'njk',
    htmlTemplateEngine: 'njk',
  }
}

/**
 * YAML would roll `2026-13-45` over into 2027 without a word; refuse it where
 * it is written. Only the front matter's `date:` counts, not one in the post.
 */
function checkDate(path) {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/)
  if (lines[0]?.trimEnd() !== '---') return
  const end = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l))
  const line = lines.slice(0, end < 0 ? 0 : end).findIndex((l) => /^date:/.test(l))
  if (line < 0) return
  const value = lines[line].slice(5).trim().replace(/^(['"])(.*)\1$/, '$2')
  const [, y, m, d] = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) ?? []
  const date = new Date(`${y}-${m}-${d}T00:00:00Z`)
  if (!y || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new Error(`${path.replace(/^\.\//, '')}:${line + 1}:${lines[line].indexOf(value) + 1}: date must be a real day as YYYY-MM-DD, got "${value}"`)
  }
}
