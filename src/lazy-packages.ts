/**
 * Packages that only some builds need, loaded on first use: a warm build
 * diffs no output and few fences say `version=`, and an import is start-up
 * time that a plain Markdown pipeline does not pay. Both ship CommonJS, so a
 * synchronous `require` serves their synchronous callers. (semver by
 * subpath: its index loads all of its 50 modules.)
 */
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

export const diff = (): typeof import('diff') => require('diff') as typeof import('diff')

export const semverValidRange = (): typeof import('semver/ranges/valid.js') => require('semver/ranges/valid.js') as typeof import('semver/ranges/valid.js')
