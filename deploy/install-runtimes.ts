/**
 * Installs exactly the runtimes a blog's snippets use, through Piston's
 * package API on the PRIVATE side (never through the public Caddy, which
 * refuses /packages).
 *
 *   npm run -s runtimes -- --json \
 *     | npm run -s install-runtimes -- --piston-url http://piston:2000/api/v2
 *   npm run install-runtimes -- --from runtimes.json --dry-run
 *
 * Input: `[{"language":"python","version":"*"}, ...]` (language name or
 * alias, exact version or SemVer selector). For each entry the newest
 * available package version that satisfies the selector is installed with
 * `POST {root}/packages`, unless an installed version already satisfies it.
 *
 * Exit codes: 0 all present or installed; 1 something could not be
 * installed; 2 bad usage, bad input or Piston unreachable.
 */
import { readFile } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import semver from 'semver'
import { request } from 'undici'

export interface WantedRuntime {
  language: string
  version: string
}

/** One entry of `GET {root}/packages`. */
export interface PistonPackage {
  language: string
  language_version: string
  installed: boolean
}

export type PlanItem =
  | { kind: 'present'; wanted: WantedRuntime; package: string; version: string }
  | { kind: 'install'; wanted: WantedRuntime; package: string; version: string }
  | { kind: 'missing'; wanted: WantedRuntime; reason: string }

/** Names a snippet may use for a language, mapped to Piston's canonical name. */
const ALIASES: Record<string, string> = {
  py: 'python',
  py3: 'python',
  python3: 'python',
  sh: 'bash',
  js: 'javascript',
  node: 'javascript',
  'node-js': 'javascript',
  'node-javascript': 'javascript',
  ts: 'typescript',
  sql: 'sqlite3',
  sqlite: 'sqlite3',
  cpp: 'c++',
  'g++': 'c++',
  gcc: 'c',
  rs: 'rust',
  rb: 'ruby',
  golang: 'go',
  'c#': 'csharp',
  cs: 'csharp',
}

/**
 * Piston packages are named after what they ship, which is not always the
 * language they provide (the `node` package provides `javascript`, `gcc`
 * provides `c` and `c++`). Candidates are tried in order after the language
 * itself.
 */
const PROVIDERS: Record<string, string[]> = {
  javascript: ['node'],
  typescript: ['typescript', 'deno'],
  c: ['gcc'],
  'c++': ['gcc'],
  csharp: ['mono', 'dotnet'],
  fortran: ['gfortran'],
  d: ['dmd'],
}

export function canonicalLanguage(name: string): string {
  const lower = name.trim().toLowerCase()
  return ALIASES[lower] ?? lower
}

/** Versions in newest-first order. */
function newestFirst(versions: string[]): string[] {
  return versions.filter((v) => semver.valid(v) !== null).sort((a, b) => semver.rcompare(a, b))
}

function isSelector(version: string): boolean {
  return semver.validRange(version) !== null
}

/**
 * Decides, for every wanted runtime, whether it is already there, which
 * package version to install, or why it cannot be had. Duplicates (same
 * package and selector) are planned once; an install planned for one entry
 * satisfies later entries whose selector it matches.
 */
export function planInstalls(wanted: WantedRuntime[], packages: PistonPackage[]): PlanItem[] {
  const byName = new Map<string, PistonPackage[]>()
  for (const pkg of packages) {
    const list = byName.get(pkg.language) ?? []
    list.push(pkg)
    byName.set(pkg.language, list)
  }
  const willHave = new Set<string>()
  for (const pkg of packages) if (pkg.installed) willHave.add(`${pkg.language}@${pkg.language_version}`)

  const plan: PlanItem[] = []
  const seen = new Set<string>()
  for (const entry of wanted) {
    const language = canonicalLanguage(entry.language)
    const selector = entry.version.trim() === '' ? '*' : entry.version.trim()
    const key = `${language}@${selector}`
    if (seen.has(key)) continue
    seen.add(key)

    if (!isSelector(selector)) {
      plan.push({ kind: 'missing', wanted: entry, reason: `"${entry.version}" is not a version or SemVer selector` })
      continue
    }
    const name = [language, ...(PROVIDERS[language] ?? [])].find((candidate) => byName.has(candidate))
    if (name === undefined) {
      plan.push({ kind: 'missing', wanted: entry, reason: `Piston offers no package for "${entry.language}"` })
      continue
    }
    const versions = newestFirst((byName.get(name) ?? []).map((p) => p.language_version))
    const matching = versions.filter((v) => semver.satisfies(v, selector))
    const present = matching.find((v) => willHave.has(`${name}@${v}`))
    if (present !== undefined) {
      plan.push({ kind: 'present', wanted: entry, package: name, version: present })
      continue
    }
    const newest = matching[0]
    if (newest === undefined) {
      const offered = versions.length > 0 ? versions.join(', ') : 'none'
      plan.push({ kind: 'missing', wanted: entry, reason: `no ${name} version matches "${selector}" (available: ${offered})` })
      continue
    }
    willHave.add(`${name}@${newest}`)
    plan.push({ kind: 'install', wanted: entry, package: name, version: newest })
  }
  return plan
}

/** Validates the snippet list (the output of `runtimes --json`). */
export function parseWanted(text: string): WantedRuntime[] {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new UsageError(`input is not JSON: ${(error as Error).message}`)
  }
  if (!Array.isArray(data)) throw new UsageError('input must be a JSON array of {"language", "version"}')
  return data.map((item: unknown, i) => {
    const { language, version } = (item ?? {}) as Record<string, unknown>
    if (typeof language !== 'string' || language.trim() === '') {
      throw new UsageError(`input[${i}].language must be a non-empty string`)
    }
    if (version !== undefined && typeof version !== 'string') {
      throw new UsageError(`input[${i}].version must be a string`)
    }
    return { language, version: version ?? '*' }
  })
}

export class UsageError extends Error {}

interface Io {
  out: (line: string) => void
  err: (line: string) => void
  stdin: () => Promise<string>
}

export interface InstallerOptions {
  pistonUrl: string
  dryRun: boolean
  /** ms to wait for one install (a download and unpack); default 15 min. */
  installTimeoutMs?: number
}

async function pistonJson(method: 'GET' | 'POST', url: string, body: unknown, timeoutMs: number): Promise<{ status: number; data: unknown }> {
  const res = await request(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  })
  const text = await res.body.text()
  let data: unknown = text
  try {
    data = text === '' ? null : JSON.parse(text)
  } catch {
    // keep the text
  }
  return { status: res.statusCode, data }
}

function messageOf(data: unknown): string {
  if (data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string') {
    return (data as { message: string }).message
  }
  return typeof data === 'string' && data !== '' ? data.slice(0, 200) : 'no message'
}

/** Lists packages, plans, installs. Returns the exit code. */
export async function installRuntimes(wanted: WantedRuntime[], options: InstallerOptions, io: Pick<Io, 'out' | 'err'>): Promise<number> {
  const root = options.pistonUrl.replace(/\/+$/, '')
  const timeout = options.installTimeoutMs ?? 15 * 60_000

  let listed: { status: number; data: unknown }
  try {
    listed = await pistonJson('GET', `${root}/packages`, undefined, 60_000)
  } catch (error) {
    io.err(`error: cannot reach Piston at ${root}/packages: ${(error as Error).message}`)
    io.err('hint: run this on the private side (e.g. inside the compose network), not through the public proxy')
    return 2
  }
  if (listed.status !== 200 || !Array.isArray(listed.data)) {
    io.err(`error: GET ${root}/packages answered ${listed.status}: ${messageOf(listed.data)}`)
    if (listed.status === 403 || listed.status === 404) {
      io.err('hint: the public proxy refuses package management; use the private Piston URL')
    }
    return 2
  }
  const packages = (listed.data as PistonPackage[]).filter(
    (p) => p && typeof p.language === 'string' && typeof p.language_version === 'string',
  )

  if (wanted.length === 0) {
    io.out('nothing to install: the content uses no runtimes')
    return 0
  }

  let failures = 0
  for (const item of planInstalls(wanted, packages)) {
    const label = `${item.wanted.language} ${item.wanted.version}`
    if (item.kind === 'present') {
      io.out(`ok        ${label}: ${item.package} ${item.version} already installed`)
    } else if (item.kind === 'missing') {
      failures++
      io.err(`missing   ${label}: ${item.reason}`)
    } else if (options.dryRun) {
      io.out(`would install ${label}: ${item.package} ${item.version}`)
    } else {
      io.out(`installing ${label}: ${item.package} ${item.version} ...`)
      try {
        const res = await pistonJson('POST', `${root}/packages`, { language: item.package, version: item.version }, timeout)
        if (res.status === 200) {
          io.out(`installed ${item.package} ${item.version}`)
        } else if (res.status === 500 && /already installed/i.test(messageOf(res.data))) {
          io.out(`ok        ${item.package} ${item.version} already installed`)
        } else {
          failures++
          io.err(`failed    ${item.package} ${item.version}: HTTP ${res.status}: ${messageOf(res.data)}`)
        }
      } catch (error) {
        failures++
        io.err(`failed    ${item.package} ${item.version}: ${(error as Error).message}`)
      }
    }
  }
  if (failures > 0) io.err(`${failures} runtime(s) not available; the build will fail on the snippets that use them`)
  return failures > 0 ? 1 : 0
}

const USAGE = `usage: install-runtimes [--piston-url URL] [--from FILE] [--dry-run]

Reads [{"language","version"}] (from --from FILE, or stdin), e.g. the output
of \`npm run -s runtimes -- --json\`, and installs the newest Piston
package version matching each selector, skipping what is installed.

  --piston-url URL  private Piston API root (default http://localhost:2000/api/v2)
  --from FILE       read the runtime list from FILE instead of stdin
  --dry-run         print what would be installed, change nothing
  -h, --help        this text`

export async function main(argv: string[], io: Io): Promise<number> {
  let values: { 'piston-url'?: string; from?: string; 'dry-run'?: boolean; help?: boolean }
  try {
    values = parseArgs({
      args: argv,
      options: {
        'piston-url': { type: 'string' },
        from: { type: 'string' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values
  } catch (error) {
    io.err(`error: ${(error as Error).message}`)
    io.err(USAGE)
    return 2
  }
  if (values.help) {
    io.out(USAGE)
    return 0
  }
  const pistonUrl = values['piston-url'] ?? 'http://localhost:2000/api/v2'
  try {
    new URL(pistonUrl)
  } catch {
    io.err(`error: --piston-url is not a URL: ${pistonUrl}`)
    return 2
  }
  let wanted: WantedRuntime[]
  try {
    const text = values.from !== undefined ? await readFile(values.from, 'utf8') : await io.stdin()
    wanted = parseWanted(text)
  } catch (error) {
    io.err(`error: ${error instanceof UsageError ? '' : 'cannot read input: '}${(error as Error).message}`)
    return 2
  }
  return installRuntimes(wanted, { pistonUrl, dryRun: values['dry-run'] === true }, io)
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('no input: pipe the runtime list in, or pass --from FILE')
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    stdin: readStdin,
  }).then(
    (code) => {
      process.exitCode = code
    },
    (error: unknown) => {
      process.stderr.write(`error: ${(error as Error).stack ?? String(error)}\n`)
      process.exitCode = 2
    },
  )
}
