/**
 * Which build of this package is running, for what keeps our output from one
 * site build to the next (rendered blocks, the stamp Astro's content store
 * carries): the version, and the newest modification time of our code. A
 * checkout that recompiles or edits it, or a reinstall of a changed build of
 * the same version (git, `npm link`, a patched tarball: npm writes the files
 * anew, patch-package one of them), is a new build.
 *
 * A site's build runs the bundle, every module of ours it loads in one flat
 * folder (lib/bundle/): that folder's files, a few stats. Elsewhere (the
 * sources through tsx, lib/ unbundled) every module of the tree (`src/` or
 * `lib/`, two folders below the package root like every module), about 15 ms.
 */
import { readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

let stamp: string | undefined

/** `runnable-blog <version> <newest mtime>`, read once per process. */
export function codeStamp(): string {
  if (stamp) return stamp
  // By the package's own name, not a path from this module: the bundle in lib/bundle/ sits elsewhere.
  const { version } = createRequire(import.meta.url)('runnable-blog/package.json') as { version: string }
  const here = dirname(fileURLToPath(import.meta.url))
  const bundled = basename(here) === 'bundle'
  const code = bundled ? here : dirname(here)
  let newest = 0
  for (const name of readdirSync(code, { recursive: !bundled, encoding: 'utf8' })) newest = Math.max(newest, statSync(join(code, name)).mtimeMs)
  return (stamp = `runnable-blog ${version} ${newest}`)
}
