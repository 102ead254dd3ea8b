// The baselines Eleventy bloggers have: Eleventy's own Markdown (markdown-it)
// and nothing else, or with BENCH_PRISM=1 the official syntax highlighter
// (@11ty/eleventy-plugin-syntaxhighlight: Prism on every fence at build time).
import syntaxHighlight from '@11ty/eleventy-plugin-syntaxhighlight'

export default function (eleventyConfig) {
  if (process.env.BENCH_PRISM === '1') eleventyConfig.addPlugin(syntaxHighlight)
}
