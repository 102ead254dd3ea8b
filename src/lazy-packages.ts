/**
 * Packages that only some builds need, loaded on first use: a warm build
 * diffs no output, and an import is start-up time that a plain Markdown
 * pipeline does not pay. diff ships CommonJS, so a synchronous `require`
 * serves its synchronous caller. (semver stays a static import, of the
 * functions used only: fence options validate `version=` with it, and the
 * browser script's type check reaches that module, where `node:module` has
 * no types.)
 */
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

export const diff = (): typeof import('diff') => require('diff') as typeof import('diff')
