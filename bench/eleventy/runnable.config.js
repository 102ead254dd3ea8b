// The bench's Eleventy build with the plugin, as a blogger's config would add
// it: the corpus folder is the input, its cache/ the committed results.
import runnable from 'runnable-blog/eleventy'

export default function (eleventyConfig) {
  eleventyConfig.addPlugin(runnable, { cacheDir: process.env.BENCH_CACHE, configFile: false })
}
