import type { Root, Yaml } from 'mdast'
import type { VFile } from 'vfile'
import { parse, YAMLParseError } from 'yaml'
import { report } from '../markdown/rules.js'

/** A post's front matter after validation. */
export interface PostMeta {
  title: string
  /** `YYYY-MM-DD`; posts without one sort last. */
  date?: string
  tags: string[]
  /** Drafts are left out of the site unless asked for. Default false. */
  draft: boolean
  /** URL segment; default: the file's path under content/ without `.md`. */
  slug?: string
  description?: string
}

declare module 'vfile' {
  interface DataMap {
    post: PostMeta
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/
const SLUG = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/

/** Reads the YAML front matter (from remark-frontmatter) into `file.data.post`. */
export default function remarkPostMeta() {
  return function (tree: Root, file: VFile) {
    const node = tree.children[0]?.type === 'yaml' ? (tree.children[0] as Yaml) : undefined
    file.data.post = readPostMeta(node, file)
  }
}

function readPostMeta(node: Yaml | undefined, file: VFile): PostMeta {
  const fallbackTitle = file.stem ?? 'Untitled'
  if (!node) return { title: fallbackTitle, tags: [], draft: false }
  const problem = (reason: string, line = 0) =>
    report(file, {
      ruleId: 'front-matter',
      reason,
      place: { line: node.position!.start.line + 1 + line, column: 1 },
    })
  let data: unknown
  try {
    data = parse(node.value) ?? {}
  } catch (error) {
    const line = error instanceof YAMLParseError ? (error.linePos?.[0].line ?? 1) - 1 : 0
    problem(`front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}`, line)
    return { title: fallbackTitle, tags: [], draft: false }
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    problem('front matter must be a mapping of fields (title: …, date: …)')
    return { title: fallbackTitle, tags: [], draft: false }
  }
  const fields = data as Record<string, unknown>
  const lineOf = (key: string) => Math.max(0, node.value.split('\n').findIndex((l) => l.startsWith(`${key}:`)))
  const meta: PostMeta = { title: fallbackTitle, tags: [], draft: false }
  const { title, date, tags, draft, slug, description } = fields
  if (typeof title === 'string' && title.trim()) meta.title = title
  else problem('front matter needs a title (a non-empty string)', lineOf('title'))
  // YAML reads an unquoted 2026-11-28 as a Date; accept both spellings.
  const day = date instanceof Date ? date.toISOString().slice(0, 10) : date
  if (typeof day === 'string' && DATE.test(day)) meta.date = day
  else if (date !== undefined) problem(`date must be YYYY-MM-DD, got ${JSON.stringify(date)}`, lineOf('date'))
  if (Array.isArray(tags) && tags.every((t) => typeof t === 'string')) meta.tags = tags
  else if (tags !== undefined) problem('tags must be a list of strings', lineOf('tags'))
  if (typeof draft === 'boolean') meta.draft = draft
  else if (draft !== undefined) problem('draft must be true or false', lineOf('draft'))
  if (typeof slug === 'string' && SLUG.test(slug)) meta.slug = slug
  else if (slug !== undefined) problem('slug must be lower-case letters, digits and dashes', lineOf('slug'))
  if (typeof description === 'string') meta.description = description
  return meta
}
