/**
 * Packages that only some builds need, loaded on first use: a warm build
 * resolves no runtime, meets no `version=` and diffs no output, and each
 * import is start-up time that a plain Markdown pipeline does not pay. Both
 * ship CommonJS, so a synchronous `require` serves the synchronous callers.
 */
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

export const semver = (): typeof import('semver') => require('semver') as typeof import('semver')
export const diff = (): typeof import('diff') => require('diff') as typeof import('diff')
