/**
 * Lines of front matter at the top of a source file: what Eleventy strips
 * (and the CLI's `check` skips) before the Markdown library sees a page. Counting them
 * lets every reported position name the line in the real file.
 */
export function frontMatterLines(source: string): number {
  const match = /^---[^\n]*\r?\n(?:[^\n]*\r?\n)*?(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(source)
  return match ? match[0].split('\n').length - (match[0].endsWith('\n') ? 1 : 0) : 0
}
