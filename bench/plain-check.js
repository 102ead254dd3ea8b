// The plain baseline of `check`, as a whole process: every Markdown file under
// ROOT/content through remark-parse, remark-frontmatter, remark-gfm,
// remark-rehype and rehype-stringify, every post in flight at once, nothing
// written; with `--shiki`, @shikijs/rehype too (bench/shiki-baseline.js).
// Plain JavaScript, like the compiled `runnable-blog check` it is compared
// with. Usage: node bench/plain-check.js ROOT [--shiki]; prints one JSON line
// (its time and peak RSS, as bench/child-build.js does).
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import rehypeStringify from 'rehype-stringify'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'

const content = join(process.argv[2], 'content')
const highlight = process.argv.includes('--shiki') ? [(await import('./shiki-baseline.js')).shikiBaseline] : []
const processor = unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm).use(remarkRehype, { allowDangerousHtml: true }).use(highlight).use(rehypeStringify, { allowDangerousHtml: true })
const entries = await readdir(content, { recursive: true, withFileTypes: true })
const paths = entries.filter((e) => e.isFile() && e.name.endsWith('.md')).map((e) => join(e.parentPath, e.name)).sort()
const t0 = performance.now()
let bytes = 0
await Promise.all(
  paths.map(async (path) => {
    const html = String(await processor.process(await readFile(path, 'utf8')))
    bytes += html.length
  }),
)
console.log(JSON.stringify({ result: { ms: performance.now() - t0, posts: paths.length, htmlBytes: bytes }, maxRssKb: process.resourceUsage().maxRSS }))
