// What of the sample blog's folders reaches the site.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

/** Files beside the posts that are copied as they are (images, downloads, data). */
export const ATTACHMENTS = ['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'avif', 'pdf', 'txt', 'csv', 'json']

/** A path with a part that starts with a dot: `.env`, `.git/config`, `notes/.draft.md`. */
export const isDotPath = (path) => path.split(/[\\/]/).some((part) => part.startsWith('.') && part !== '.' && part !== '..')

/**
 * The symbolic links under `folders` (dot paths aside: they are never
 * published), as `folder/path`. A link is published as a link, and a server
 * follows it wherever it points: out of the project, to a `.env`.
 */
export function symlinksUnder(folders) {
  const links = []
  const walk = (dir) => {
    let entries
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch (error) {
      if (error.code === 'ENOENT') return
      throw error
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue
      const path = join(dir, entry.name)
      if (entry.isSymbolicLink()) links.push(path.split('\\').join('/'))
      else if (entry.isDirectory()) walk(path)
    }
  }
  for (const folder of folders) walk(folder)
  return links.sort()
}
