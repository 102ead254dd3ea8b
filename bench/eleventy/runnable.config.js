// The bench's Eleventy build with the plugin, as a blogger's config would add
// it: the corpus folder is the input, its cache/ the committed results
// (BENCH_CACHE), BENCH_CONCURRENCY jobs at once for a cold build (default: the plugin's).
// BENCH_HIGHLIGHT: unset, the default (runnable blocks highlighted); `all`,
// every fence (`allFences`); `off`, nothing (`highlight: false`).
// BENCH_PRISM=1: the site also has @11ty/eleventy-plugin-syntaxhighlight,
// as an Eleventy blog that adds the plugin does.
import syntaxHighlight from '@11ty/eleventy-plugin-syntaxhighlight'
import runnable from 'runnable-blog/eleventy'

const highlight = { all: { allFences: true }, off: false }[process.env.BENCH_HIGHLIGHT ?? '']

export default function (eleventyConfig) {
  if (process.env.BENCH_PRISM === '1') eleventyConfig.addPlugin(syntaxHighlight)
  eleventyConfig.addPlugin(runnable, { cacheDir: process.env.BENCH_CACHE, ...(process.env.BENCH_CONCURRENCY ? { concurrency: Number(process.env.BENCH_CONCURRENCY) } : {}), configFile: false, ...(highlight === undefined ? {} : { highlight }) })
}
