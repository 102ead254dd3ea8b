/**
 * Validation of a fence's options: meta string → tokens (meta.ts) →
 * `FenceOptions` plus problems carrying a rule id and offsets into the meta
 * string, which the caller turns into file:line:col. Severity is not decided
 * here but in rules.ts.
 */
import type { Expectation } from '../check/expectations.js'
import { semverValidRange } from '../lazy-packages.js'
import { splitArgs } from './args.js'
import { tokenizeMeta, type MetaToken } from './meta.js'
import { closest } from '../text/closest.js'
import { timeoutProblem } from '../execution/limits.js'

/** Options of one fence, after validation; documented with defaults. */
export interface FenceOptions extends Expectation {
  /** `run` or `run=true`: execute at build time. Default false. */
  run: boolean
  /** `skip` or `run=false`: styled as a run fence, not executed. Default false. */
  skip: boolean
  /**
   * Bare `stdin` / `output`: the fence is the input / expected stdout of the
   * run fence just before it. `stdin="text"` is the inline `stdin` option instead.
   */
  role?: 'stdin' | 'output'
  title?: string
  /** SemVer selector as given (Piston resolves it); absent means `*`, the newest. */
  version?: string
  /** Inline stdin, for short input; a `stdin` fence for anything longer. */
  stdin?: string
  /** `args="a 'b c'"`, split like a shell. */
  args?: string[]
  /** Milliseconds, a positive integer; becomes `run_timeout`. */
  timeout?: number
  /** On a run fence: the entry file name. On any other fence: declares an extra file. */
  file?: string
  /** `[A-Za-z][A-Za-z0-9_-]*`, referenced by `prepend`. */
  id?: string
  /** Not shown in the page. Default false. */
  hidden: boolean
  /** Ids of fences whose code runs first. Default []. */
  prepend: string[]
  /** Names declared with `file=` in the same post, sent as extra files. Default []. */
  files: string[]
  /** On an `output` fence: how stdout is compared. Absent means exact. */
  match?: 'exact' | 'contains' | 'regex' | 'unordered'
  /** `live=false` opts out of re-running in the browser. Default true. */
  live: boolean
  /** Lines of the fence to mark, from `{2-4}` (1-based, any order). Default []. */
  markedLines: number[]
}

/**
 * Meta that host highlighters read (rehype-pretty-code, Expressive Code,
 * Shiki's transformers): accepted on any fence without a word, and left in
 * the fence's meta for them. `{2-4}` line ranges, and Expressive Code's
 * `mark={2-4}`, are read here too; word patterns (`/print/`) and text
 * markers (`"print"`) are accepted like these names.
 */
const hostHighlighterMeta: ReadonlySet<string> = new Set([
  'showLineNumbers',
  'startLineNumber',
  'mark',
  'ins',
  'del',
  'caption',
  'frame',
  'collapse',
  'collapseStyle',
  'wrap',
  'preserveIndent',
  'hangingIndent',
  'useDiffSyntax',
])

/** Whether a meta token is a host highlighter's, which only the host's own fences show. */
export const isHostMeta = (token: MetaToken): boolean => token.key === '//' || token.key === '""' || (hostHighlighterMeta.has(token.key) && !markedBy(token))

/** The lines `mark={2-4}` marks, as `{2-4}` does; undefined for any other form of `mark` (text, labels), left to the host. */
function markedBy({ key, value }: MetaToken): number[] | undefined {
  if (key !== 'mark' || value === true || !value.startsWith('{') || !value.endsWith('}')) return undefined
  return lineRanges(value.slice(1, -1))
}

export interface OptionProblem {
  ruleId: 'meta-syntax' | 'invalid-option' | 'duplicate-option' | 'unknown-option' | 'ignored-meta'
  message: string
  /** Offsets into the meta string, end exclusive. */
  start: number
  end: number
}

export const optionNames = [
  'run',
  'skip',
  'stdin',
  'output',
  'title',
  'version',
  'args',
  'timeout',
  'file',
  'id',
  'hidden',
  'prepend',
  'files',
  'exit',
  'expect',
  'match',
  'live',
] as const

export type OptionName = (typeof optionNames)[number]

/** One line per option, for the README and for error messages. */
export const optionDocs: Record<OptionName, string> = {
  run: 'execute the fence at build time (run, run=true); run=false is the same as skip',
  skip: 'style the fence as runnable but do not execute it',
  stdin: 'bare: this fence is the stdin of the run fence above; stdin="text": inline stdin',
  output: 'bare: this fence is the expected stdout of the run fence above',
  title: 'caption shown with the snippet',
  version: 'runtime version as a semver range, e.g. 3.12, 3.x or >=3.10 (default *, the newest)',
  args: `command-line arguments, split like a shell: args="a 'b c'"`,
  timeout: 'run time limit in milliseconds, a positive whole number',
  file: 'on a run fence, the entry file name; on any other fence, declares an extra file',
  id: 'name for prepend=: a letter, then letters, digits, - or _',
  hidden: 'do not show the fence in the page',
  prepend: 'ids of fences whose code runs first, separated by spaces or commas',
  files: 'names declared with file= in the same post, sent as extra files',
  exit: 'expected exit code: 0..255, nonzero or any',
  expect: 'expected ending: success, failure, timeout, compile-error, output-limit or any (every ending, kills included)',
  match: 'on an output fence, how stdout is compared: exact (default), contains, regex or unordered',
  live: 'live=false: readers cannot re-run the snippet in the browser (default true)',
}

const expectValues = ['success', 'failure', 'timeout', 'compile-error', 'output-limit', 'any'] as const
const matchValues = ['exact', 'contains', 'regex', 'unordered'] as const
const idPattern = /^[A-Za-z][A-Za-z0-9_-]*$/
const maxFileName = 100

const isOptionName = (key: string): key is OptionName => (optionNames as readonly string[]).includes(key)
const oneOf = <T extends string>(values: readonly T[], value: string): value is T => values.includes(value as T)
const shown = (value: string | true) => (value === true ? 'no value' : JSON.stringify(value))
const later = (a: MetaToken, b: MetaToken) => (a.start > b.start ? a : b)

/** Why `name` is not a plain file name, or undefined when it is one. */
function fileNameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty'
  if (name.length > maxFileName) return `it is longer than ${maxFileName} characters`
  for (const bad of ['..', '/', '\\']) if (name.includes(bad)) return `it contains "${bad}"`
  if (name.startsWith('.')) return 'it starts with "."'
  // Whitespace and commas separate names in files=.
  if (/[\s,]/.test(name)) return 'it contains whitespace or a comma'
  if (/\p{Cc}/u.test(name)) return 'it contains a control character'
  return undefined
}

/** The name in `names` a misspelt word is close enough to be a typo of (an option, a value of a closed list). */
const nearest = <T extends string>(word: string, names: readonly T[]): T | undefined => closest(word, names, word.length <= 3 ? 1 : 2)

/** The closest known option to a misspelt one. */
const suggest = (key: string): OptionName | undefined => nearest(key, optionNames)

/** `; did you mean "success"?` for a misspelt value of a closed list, or nothing. */
const meant = (value: string | true, values: readonly string[]): string => {
  const near = value === true ? undefined : nearest(value, values)
  return near === undefined ? '' : `; did you mean "${near}"?`
}

/**
 * Read and validate the options of one fence. Problems are in text order.
 * `language` is the fence's: ```` ```output ```` is an output fence as
 * ```` ```text output ```` is.
 */
export function readFenceOptions(meta: string | null | undefined, language?: string | null): {
  options: FenceOptions
  problems: OptionProblem[]
  /** The tokens read, so a caller can point at one option later. */
  tokens: MetaToken[]
} {
  const options: FenceOptions = { run: false, skip: false, hidden: false, prepend: [], files: [], live: true, markedLines: [] }
  const problems: OptionProblem[] = []
  if (language === 'output') options.role = 'output'
  if (!meta) return { options, problems, tokens: [] }

  const { tokens, errors } = tokenizeMeta(meta)
  for (const error of errors) problems.push({ ruleId: 'meta-syntax', ...error })

  const text = (token: MetaToken) => meta.slice(token.start, token.end)
  const problem = (ruleId: OptionProblem['ruleId'], token: MetaToken, message: string) =>
    problems.push({ ruleId, message, start: token.start, end: token.end })
  const invalid = (token: MetaToken, message: string) => problem('invalid-option', token, message)

  /** Bare flag, `=true` or `=false`; undefined (reported) otherwise. */
  const flag = (token: MetaToken): boolean | undefined => {
    if (token.value === true || token.value === 'true') return true
    if (token.value === 'false') return false
    invalid(token, `${token.key} must be a bare flag, true or false, got ${shown(token.value)}`)
    return undefined
  }

  /** Ids or file names separated by spaces or commas; undefined (reported) when invalid. */
  const list = (token: MetaToken, what: string, problemOf: (item: string) => string | undefined) => {
    const items = token.value === true ? [] : token.value.split(/[\s,]+/).filter((item) => item !== '')
    if (items.length === 0) {
      invalid(token, `${token.key} must list ${what} separated by spaces or commas, got ${shown(token.value)}`)
      return undefined
    }
    for (const [index, item] of items.entries()) {
      const why = problemOf(item)
      if (why !== undefined) {
        invalid(token, `${token.key} must list ${what}, got ${JSON.stringify(item)}: ${why}`)
        return undefined
      }
      if (items.indexOf(item) !== index) {
        invalid(token, `${token.key} lists ${JSON.stringify(item)} twice`)
        return undefined
      }
    }
    return items
  }

  const seen = new Map<OptionName, MetaToken>()
  let runFlag: boolean | undefined
  let skipFlag: boolean | undefined

  for (const token of tokens) {
    const { key, value } = token
    const lines = key === '{}' ? lineRanges(String(value)) : markedBy(token)
    if (key === '{}' || lines) {
      // Not pushed as arguments: 100,000 of them overflowed the stack.
      if (lines) options.markedLines = [...new Set([...options.markedLines, ...lines])].sort((a, b) => a - b)
      else invalid(token, `line ranges must be numbers and ranges such as {2-4} or {1,3-5}, got ${text(token)}`)
      continue
    }
    if (isHostMeta(token)) continue
    if (!isOptionName(key)) {
      const close = suggest(key)
      const hint = close === undefined ? '' : `, did you mean ${JSON.stringify(close)}?`
      problem('unknown-option', token, `unknown option ${JSON.stringify(key)}${hint}`)
      continue
    }
    const first = seen.get(key)
    if (first) {
      problem('duplicate-option', token, `${key} is given more than once (first as ${text(first)})`)
      continue
    }
    seen.set(key, token)

    switch (key) {
      case 'run':
        runFlag = flag(token)
        break
      case 'skip':
        skipFlag = flag(token)
        break
      case 'hidden':
        options.hidden = flag(token) ?? options.hidden
        break
      case 'live':
        options.live = flag(token) ?? options.live
        break
      case 'stdin':
        if (value === true) options.role = 'stdin'
        else options.stdin = value
        break
      case 'output':
        if (value === true) options.role = 'output'
        else invalid(token, `output must be a bare flag, got ${shown(value)}; use stdin="..." for inline input`)
        break
      case 'title':
        if (value === true || value === '') invalid(token, `title must be non-empty text, got ${shown(value)}`)
        else options.title = value
        break
      case 'version':
        if (value === true || value === '' || (value !== '*' && semverValidRange()(value) === null)) {
          invalid(token, `version must be a semver range such as 3.12, 3.x, >=3.10 or *, got ${shown(value)}`)
        } else options.version = value
        break
      case 'args': {
        const split = value === true ? undefined : splitArgs(value)
        if (split === undefined) {
          invalid(token, `args must be a shell-style argument list such as args="a 'b c'", got no value`)
        } else if ('error' in split) {
          const why = `${split.error} at character ${split.offset + 1}`
          invalid(token, `args must be a shell-style argument list, got ${shown(value)}: ${why}`)
        } else options.args = split.args
        break
      }
      case 'timeout':
        if (value !== true && /^[1-9]\d*$/.test(value) && Number.isSafeInteger(Number(value))) {
          const problem = timeoutProblem(Number(value))
          if (problem) invalid(token, `timeout ${problem}, got ${shown(value)}`)
          else options.timeout = Number(value)
        } else invalid(token, `timeout must be a positive whole number of milliseconds, got ${shown(value)}`)
        break
      case 'file': {
        const why = value === true ? 'it is missing' : fileNameProblem(value)
        if (why !== undefined) {
          invalid(token, `file must be a plain file name such as main.py, got ${shown(value)}: ${why}`)
        } else if (value !== true) options.file = value
        break
      }
      case 'id':
        if (value !== true && idPattern.test(value)) options.id = value
        else invalid(token, `id must be a letter followed by letters, digits, - or _, got ${shown(value)}`)
        break
      case 'prepend':
        options.prepend = list(token, 'fence ids', (id) => (idPattern.test(id) ? undefined : 'not a valid id')) ?? []
        break
      case 'files':
        options.files = list(token, 'file names', fileNameProblem) ?? []
        break
      case 'exit':
        if (value === 'nonzero' || value === 'any') options.exit = value
        else if (value !== true && /^(0|[1-9]\d{0,2})$/.test(value) && Number(value) <= 255) {
          options.exit = Number(value)
        } else invalid(token, `exit must be 0..255, nonzero or any, got ${shown(value)}`)
        break
      case 'expect':
        if (value !== true && oneOf(expectValues, value)) options.expect = value
        else invalid(token, `expect must be ${expectValues.join(', ')}, got ${shown(value)}${meant(value, expectValues)}`)
        break
      case 'match':
        if (value !== true && oneOf(matchValues, value)) options.match = value
        else invalid(token, `match must be ${matchValues.join(', ')}, got ${shown(value)}${meant(value, matchValues)}`)
        break
    }
  }

  // Combinations, checked once every option is known whatever the order.
  const runToken = seen.get('run')
  const skipToken = seen.get('skip')
  options.run = runFlag === true
  options.skip = runFlag === false || skipFlag === true
  if (runToken && skipToken && runFlag !== undefined && runFlag === skipFlag) {
    invalid(later(runToken, skipToken), `${text(runToken)} contradicts ${text(skipToken)}`)
  }

  const stdinToken = seen.get('stdin')
  const outputToken = seen.get('output')
  if (stdinToken?.value === true && outputToken?.value === true) {
    invalid(later(stdinToken, outputToken), 'a fence cannot be both stdin and output')
  } else if (stdinToken?.value === true && language === 'output') {
    invalid(stdinToken, 'a fence cannot be both stdin and output (its language says output)')
  }
  const roleToken = options.role === undefined ? undefined : seen.get(options.role)
  const runningToken = options.run ? runToken : options.skip ? (skipToken ?? runToken) : undefined
  if (roleToken && runningToken) {
    const why = `${options.role} marks a fence that belongs to the run fence above`
    invalid(later(roleToken, runningToken), `${text(runningToken)} contradicts ${text(roleToken)}: ${why}`)
  }

  const matchToken = seen.get('match')
  if (matchToken && options.match !== undefined && options.role !== 'output') {
    invalid(matchToken, 'match only applies to an output fence')
  }

  const exitToken = seen.get('exit')
  const expectToken = seen.get('expect')
  if (exitToken && expectToken && options.exit !== undefined && options.expect !== undefined) {
    const why = exitContradiction(options.exit, options.expect)
    if (why) invalid(later(exitToken, expectToken), `${text(exitToken)} contradicts ${text(expectToken)}: ${why}`)
  }

  const prependToken = seen.get('prepend')
  if (prependToken && options.id !== undefined && options.prepend.includes(options.id)) {
    invalid(prependToken, `prepend cannot name the fence's own id ${JSON.stringify(options.id)}`)
  }
  const filesToken = seen.get('files')
  if (filesToken && options.file !== undefined && options.files.includes(options.file)) {
    invalid(filesToken, `files cannot list the fence's own file ${JSON.stringify(options.file)}`)
  }

  // A fence this package draws shows none of a host highlighter's meta: say so, rather than drop it.
  if (!options.hidden && (options.run || options.skip || options.role === 'stdin' || options.file !== undefined)) {
    for (const token of tokens.filter(isHostMeta)) {
      const what = token.key === '""' || token.key === '//' ? `the text marker ${text(token)}` : text(token)
      const hint = token.key === 'ins' || token.key === 'del' ? '; mark lines with {2-4}' : ''
      problem('ignored-meta', token, `${what} is not shown: runnable-blog draws this block, not the site's highlighter${hint}`)
    }
  }

  problems.sort((a, b) => a.start - b.start)
  return { options, problems, tokens }
}

/** `2-4, 7` → [2, 3, 4, 7]; undefined unless every item is a line number or a range from low to high. */
function lineRanges(value: string): number[] | undefined {
  const ranges: Array<[number, number]> = []
  for (const item of value.split(/[\s,]+/).filter(Boolean)) {
    const [, from, to = from] = /^([1-9]\d{0,4})(?:-([1-9]\d{0,4}))?$/.exec(item) ?? []
    if (!from || +to! < +from) return undefined
    ranges.push([+from, +to!])
  }
  // Overlapping ranges merged first: {1-99999,1-99999} lists each line once, not 200,000 times.
  const lines: number[] = []
  for (const [from, to] of ranges.sort((a, b) => a[0] - b[0])) {
    for (let line = Math.max(from, (lines.at(-1) ?? 0) + 1); line <= to; line++) lines.push(line)
  }
  return lines.length ? lines : undefined
}

/** Why an expected exit code cannot go with an expected ending, if it cannot. */
function exitContradiction(exit: NonNullable<FenceOptions['exit']>, expect: NonNullable<FenceOptions['expect']>) {
  switch (expect) {
    case 'success':
      return exit === 0 ? undefined : 'success means exit 0'
    case 'failure':
      return exit === 'nonzero' || (typeof exit === 'number' && exit > 0) ? undefined : 'failure means a non-zero exit'
    case 'any':
      return 'expect=any accepts every ending, so an exit code adds nothing'
    default:
      // Killed by the limit or never run: there is no exit code to expect.
      return `a run that ends in ${expect} has no exit code to check`
  }
}
