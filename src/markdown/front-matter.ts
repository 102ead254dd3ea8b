/**
 * Lines of front matter at the top of a source file: what Eleventy strips
 * (and the CLI's `check` skips) before the Markdown library sees a page. Counting them
 * lets every reported position name the line in the real file.
 */
export function frontMatterLines(source: string): number {
  const match = /^---[^\n]*\r?\n(?:[^\n]*\r?\n)*?(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(source)
  return match ? match[0].split('\n').length - (match[0].endsWith('\n') ? 1 : 0) : 0
}

/**
 * The line of a top-level `draft: true` in the source's front matter
 * (Starlight's field, and the usual one of a blog's drafts), or undefined.
 */
export function draftLine(source: string): number | undefined {
  const lines = source.split('\n', frontMatterLines(source))
  const index = lines.findIndex((line) => /^draft[ \t]*:[ \t]*(?:true|True|TRUE)[ \t]*(?:#.*)?\r?$/.test(line))
  return index < 0 ? undefined : index + 1
}
