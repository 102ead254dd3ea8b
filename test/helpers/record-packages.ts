/**
 * A `--import` for a child Node that records every package it resolves
 * (`loaded <name>` lines on stderr; the hooks run off the main thread, so
 * they write straight to stderr), and how to read them back.
 */
export const recordPackages = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module'
register('data:text/javascript,' + encodeURIComponent(\`
import { writeSync } from 'node:fs'
export async function resolve(specifier, context, next) {
  const found = await next(specifier, context)
  const name = found.url.match(/node_modules\\\\/((?:@[^/]+\\\\/)?[^/]+)\\\\//)
  if (name) writeSync(2, 'loaded ' + name[1] + '\\\\n')
  return found
}\`))
`)}`

/** The packages named on `stderr`'s lines that start with `verb` (`loaded`). */
export const packagesIn = (stderr: string, verb = 'loaded'): Set<string> => new Set([...stderr.matchAll(new RegExp(`^${verb} (\\S+)$`, 'gm'))].map((m) => m[1]!))
