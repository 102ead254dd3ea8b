/**
 * Runtime resolution as Piston does it (name or alias, then the newest
 * version that `semver.satisfies` the selector), with messages that help a
 * writer fix a fence instead of Piston's terse "x-y runtime is unknown".
 * Loaded with the first job that runs (scheduler.ts): through the Eleventy
 * plugin, the Astro integration or the CLI, a build whose results all come
 * from the cache loads no semver. (The core entry exports the local engine,
 * which imports it.)
 */
// Subpaths: semver's index loads all of its 50 modules.
import rcompare from 'semver/functions/rcompare.js'
import satisfies from 'semver/functions/satisfies.js'
import validRange from 'semver/ranges/valid.js'
import type { Runtime } from './types.js'
import { closestLanguage } from '../text/closest.js'

export type RuntimeResolution = { ok: true; runtime: Runtime } | { ok: false; message: string }

export function resolveRuntime(runtimes: Runtime[], language: string, selector: string): RuntimeResolution {
  const named = runtimes.filter((rt) => rt.language === language || rt.aliases.includes(language))
  if (named.length === 0) return { ok: false, message: unknownLanguageMessage(runtimes, language) }

  const matching = named
    .filter((rt) => satisfies(rt.version, selector))
    .sort((a, b) => rcompare(a.version, b.version))
  const newest = matching[0]
  if (newest) return { ok: true, runtime: newest }

  const canonical = named[0]!.language
  const installed = named.map((rt) => rt.version).sort(rcompare).join(', ')
  const why = validRange(selector) === null ? ' (not a version or SemVer range)' : ''
  return {
    ok: false,
    message: `no installed ${canonical} version matches "${selector}"${why}; installed: ${installed}`,
  }
}

function unknownLanguageMessage(runtimes: Runtime[], language: string): string {
  const languages = [...new Set(runtimes.map((rt) => rt.language))].sort()
  const installed = languages.length > 0 ? languages.join(', ') : 'none'
  const suggestion = closestLanguage(language, runtimes.flatMap((rt) => [rt.language, ...rt.aliases]))
  const hint = suggestion === undefined ? '.' : `; did you mean "${suggestion}"?`
  return `unknown language "${language}"${hint} Installed languages: ${installed}`
}
