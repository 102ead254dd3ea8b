/**
 * Which build of this package is running, for what keeps our output from one
 * site build to the next (rendered blocks, the stamp Astro's content store
 * carries): the version, and the newest modification time of our code
 * (`src/` or `lib/`, the bundle included, which sits two folders below the
 * package root like every module). A checkout that recompiles or edits it,
 * or a reinstall of a changed build of the same version (git, `npm link`,
 * a patched tarball: npm writes the files anew), is a new build.
 */
import { readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

let stamp: string | undefined

/** `runnable-blog <version> <newest mtime>`, read once per process. */
export function codeStamp(): string {
  if (stamp) return stamp
  // By the package's own name, not a path from this module: the bundle in lib/bundle/ sits elsewhere.
  const { version } = createRequire(import.meta.url)('runnable-blog/package.json') as { version: string }
  const code = dirname(dirname(fileURLToPath(import.meta.url)))
  let newest = 0
  for (const name of readdirSync(code, { recursive: true, encoding: 'utf8' })) newest = Math.max(newest, statSync(join(code, name)).mtimeMs)
  return (stamp = `runnable-blog ${version} ${newest}`)
}
