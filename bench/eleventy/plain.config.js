// The baseline: the same Eleventy with the same unified Markdown setup as the
// plugin's (remark-parse, remark-gfm, remark-rehype, rehype-stringify, raw
// HTML kept), and no runnable step.
import rehypeStringify from 'rehype-stringify'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'

export default function (eleventyConfig) {
  const processor = unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkRehype, { allowDangerousHtml: true })
    .use(rehypeStringify, { allowDangerousHtml: true })
  eleventyConfig.setLibrary('md', { render: async (text) => String(await processor.process(text)) })
}
