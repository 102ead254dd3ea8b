/**
 * Runtime resolution as Piston does it (name or alias, then the newest
 * version that `semver.satisfies` the selector), with messages that help a
 * writer fix a fence instead of Piston's terse "x-y runtime is unknown".
 */
// Subpaths: semver's index loads all of its 50 modules, ~10 ms of a build's start-up.
import rcompare from 'semver/functions/rcompare.js'
import satisfies from 'semver/functions/satisfies.js'
import validRange from 'semver/ranges/valid.js'
import type { ExecuteResponse, Runtime } from './types.js'
import { closest } from '../text/closest.js'

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
  const suggestion = closestName(runtimes, language)
  const hint = suggestion === undefined ? '.' : `; did you mean "${suggestion}"?`
  return `unknown language "${language}"${hint} Installed languages: ${installed}`
}

/** The closest name or alias, if it is close enough to be a plausible typo: past a third of the word the "suggestion" is noise (cobol -> bash). */
const closestName = (runtimes: Runtime[], language: string): string | undefined =>
  closest(language, new Set(runtimes.flatMap((rt) => [rt.language, ...rt.aliases])), Math.max(1, Math.floor(language.length / 3)))

const EXTENSIONS: Record<string, string> = {
  python: 'py', py: 'py', py3: 'py', python3: 'py',
  bash: 'sh', sh: 'sh',
  sqlite3: 'sql', sqlite: 'sql', sql: 'sql',
  javascript: 'js', js: 'js', node: 'js', 'node-js': 'js', 'node-javascript': 'js',
  typescript: 'ts', ts: 'ts', deno: 'ts',
  ruby: 'rb', rb: 'rb',
  go: 'go', golang: 'go',
  rust: 'rs', rs: 'rs',
  c: 'c', gcc: 'c',
  'c++': 'cpp', cpp: 'cpp', 'g++': 'cpp',
  csharp: 'cs', 'c#': 'cs', cs: 'cs',
  kotlin: 'kt', kt: 'kt',
  swift: 'swift',
  php: 'php',
  perl: 'pl', pl: 'pl',
  lua: 'lua',
  haskell: 'hs', hs: 'hs',
  r: 'r', rscript: 'r',
  zig: 'zig',
  dart: 'dart',
  scala: 'scala',
  elixir: 'exs', exs: 'exs',
  powershell: 'ps1', ps: 'ps1', pwsh: 'ps1',
}

/**
 * A frozen build's word for a snippet without a result, when its language is
 * the likely cause: a language that is neither one runnable-blog knows
 * (Piston's usual ones and their aliases) nor that of a committed result
 * (`cachedLanguages`). Undefined otherwise: then the result is just missing.
 */
export function frozenLanguageProblem(language: string, cachedLanguages: ReadonlySet<string>): string | undefined {
  const name = language.toLowerCase()
  if (name in EXTENSIONS || name === 'java' || /^python3\.\d+$/.test(name) || cachedLanguages.has(language)) return undefined
  const suggestion = closest(language, new Set([...Object.keys(EXTENSIONS), 'java', ...cachedLanguages]), Math.max(1, Math.floor(language.length / 3)))
  const hint = suggestion === undefined ? '' : `; did you mean "${suggestion}"?`
  return `unknown language "${language}"${hint} (no committed result is in it, and a frozen build cannot ask the server)`
}

/**
 * Entry file name for a language or alias, so that tracebacks mention
 * `main.py` rather than Piston's fallback `file0.code`. Java needs `Main`.
 */
export function defaultFileName(language: string): string {
  const name = language.toLowerCase()
  if (name === 'java') return 'Main.java'
  // Piston aliases versioned names such as python3.11.
  const key = /^python3\.\d+$/.test(name) ? 'python' : name
  return `main.${EXTENSIONS[key] ?? 'txt'}`
}

/** Human label of what ran, e.g. `python 3.11.2`. */
export function runtimeLabel(response: Pick<ExecuteResponse, 'language' | 'version'>): string {
  return `${response.language} ${response.version}`
}
