/**
 * The languages runnable-blog knows without asking a server: the entry file
 * a snippet runs as, what a report calls a runtime, and a frozen build's
 * word on a language no result is in.
 */
import { closestLanguage } from '../text/closest.js'
import type { ExecuteResponse } from './types.js'

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
  const suggestion = closestLanguage(language, [...Object.keys(EXTENSIONS), 'java', ...cachedLanguages])
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
