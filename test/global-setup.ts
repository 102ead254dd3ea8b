/**
 * Once before the suite: compile the package into lib/, as `npm ci` (its
 * prepare script) and `npm pack` do, for the tests that use it as a package
 * (the tarball, the sample blog's `runnable-blog/eleventy`, the action).
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

export default async function compile() {
  await promisify(execFile)('npm', ['run', '-s', 'compile'], { cwd: new URL('../', import.meta.url) })
}
