// The sample blog: an ordinary Eleventy site that uses runnable-blog the way
// any Eleventy blog would, through its plugin.
import { readFileSync } from 'node:fs'
import { feedPlugin } from '@11ty/eleventy-plugin-rss'
import runnable from 'runnable-blog/eleventy'
import site from './_data/site.json' with { type: 'json' }

export default function (eleventyConfig) {
  // Snippets, their cache and the live runner; settings come from
  // runnable-blog.config.json and PISTON_URL, PISTON_TOKEN, RUNNABLE_FROZEN.
  eleventyConfig.addPlugin(runnable, { highlight: { allFences: true } })
  // Links relative to each page: the site works under any sub-path (a GitHub
  // project page) and opened from disk, with no prefix to configure.
  eleventyConfig.addTransform('relative-links', function (html) {
    if (!this.page.outputPath?.endsWith('.html')) return html
    const up = '../'.repeat(Math.max(0, this.page.url.split('/').length - 2)) || './'
    return html.replace(/(\s(?:href|src)=")\/(?!\/)/g, `$1${up}`)
  })
  eleventyConfig.addPlugin(feedPlugin, {
    type: 'atom',
    outputPath: '/feed.xml',
    collection: { name: 'posts', limit: 20 },
    metadata: { language: 'en', title: site.title, subtitle: site.description, base: site.url, author: { name: site.author } },
  })

  eleventyConfig.addPassthroughCopy({ public: '/' })
  // Images and other files beside the posts; never dotfiles (the glob skips them).
  eleventyConfig.addPassthroughCopy('content/**/*.{png,jpg,jpeg,gif,svg,webp,avif,pdf,txt,csv,json}')
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

/** YAML would roll `2026-13-45` over into 2027 without a word; refuse it where it is written. */
function checkDate(path) {
  const lines = readFileSync(path, 'utf8').split('\n')
  const line = lines.findIndex((l) => /^date:/.test(l))
  if (line < 0) return
  const value = lines[line].slice(5).trim().replace(/^(['"])(.*)\1$/, '$2')
  const [, y, m, d] = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) ?? []
  const date = new Date(`${y}-${m}-${d}T00:00:00Z`)
  if (!y || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new Error(`${path.replace(/^\.\//, '')}:${line + 1}:${lines[line].indexOf(value) + 1}: date must be a real day as YYYY-MM-DD, got "${value}"`)
  }
}
