// The baseline: the same Eleventy with the same unified Markdown setup as the
// plugin's (remark-parse, remark-gfm, remark-rehype, rehype-stringify, raw
// HTML kept), and no runnable step. BENCH_SHIKI=1 adds @shikijs/rehype
// (bench/shiki-baseline.js): what a blog highlights its code with otherwise.
import rehypeStringify from 'rehype-stringify'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'
import { shikiBaseline } from '../shiki-baseline.js'

export default function (eleventyConfig) {
  const processor = unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkRehype, { allowDangerousHtml: true })
    .use(process.env.BENCH_SHIKI === '1' ? [shikiBaseline] : [])
    .use(rehypeStringify, { allowDangerousHtml: true })
  eleventyConfig.setLibrary('md', { render: async (text) => String(await processor.process(text)) })
}
