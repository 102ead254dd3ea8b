/**
 * A seeded, deterministic generator of a realistic technical blog for the
 * benchmarks: posts with front matter, prose with inline markup, headings,
 * lists, pipe tables, ordinary code fences, and runnable fences in python,
 * bash, sql and javascript — some with inline or fenced stdin, args, hidden
 * setup code pulled in with `prepend`, `output` fences, and some identical to
 * an earlier snippet (so the build must run them once).
 *
 * Same options → byte-identical files. Nothing here reads the clock or
 * `Math.random`.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

export interface CorpusOptions {
  /** Default 1. */
  seed?: number
  posts: number
  /** Run fences in the whole corpus, spread over the posts. */
  snippets: number
  /** Only python hello-world-like snippets (each unique), no other fences. Default false. */
  pythonOnly?: boolean
}

export interface CorpusStats {
  posts: number
  /** Fences marked `run`. */
  runFences: number
  /** Run fences whose request is identical to an earlier one's. */
  duplicates: number
  /** Distinct requests the build should make: runFences − duplicates. */
  uniqueJobs: number
  byLanguage: Record<string, number>
  withStdin: number
  withArgs: number
  withPrepend: number
  withOutputFence: number
  /** Code fences that are not run (shell sessions, JSON, hidden setup...). */
  otherFences: number
  words: number
  bytes: number
}

export interface Corpus {
  /** Path under content/ → Markdown, sorted by path. */
  files: Map<string, string>
  stats: CorpusStats
}

/** mulberry32: small, fast, good enough for test data. */
function prng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  }
}
type Rng = ReturnType<typeof prng>

const WORDS = (
  'the a of to and in is that for it with as was on be by this are or from at an which but not have one can ' +
  'build cache request server output snippet runtime process memory thread queue latency function value ' +
  'result error string buffer stream file module package version compile parse render token script ' +
  'python bash query table index column row record schema database transaction lock socket client ' +
  'usually simply quickly carefully often rarely always never then again first next finally however ' +
  'because although while when where how why what every each some many few most small large fast slow ' +
  'read write run start stop return call pass handle check measure compare print sort filter map reduce'
).split(' ')
const TAGS = ['python', 'bash', 'sql', 'javascript', 'performance', 'testing', 'tooling', 'databases', 'shell', 'tutorial']
const FENCE_LANGS = ['json', 'text', 'typescript', 'yaml', 'console', 'diff'] as const
const RUN_LANGS = ['python', 'bash', 'sql', 'javascript'] as const
type RunLang = (typeof RUN_LANGS)[number]

function sentence(r: Rng, min = 6, max = 16): string {
  const n = r.int(min, max)
  const words: string[] = []
  for (let i = 0; i < n; i++) {
    let w = r.pick(WORDS)
    if (r.chance(0.05)) w = `\`${w}()\``
    else if (r.chance(0.03)) w = `*${w}*`
    else if (r.chance(0.02)) w = `**${w}**`
    words.push(w)
  }
  if (r.chance(0.08)) words.splice(r.int(1, words.length - 1), 0, `[${r.pick(WORDS)}](https://example.com/${r.pick(WORDS)})`)
  const text = words.join(' ')
  return text[0]!.toUpperCase() + text.slice(1) + '.'
}

function paragraph(r: Rng, sentences = r.int(2, 5)): string {
  return Array.from({ length: sentences }, () => sentence(r)).join(' ')
}

const title = (r: Rng) => {
  const t = Array.from({ length: r.int(3, 7) }, () => r.pick(WORDS)).join(' ')
  return t[0]!.toUpperCase() + t.slice(1)
}

function list(r: Rng): string {
  const ordered = r.chance(0.4)
  return Array.from({ length: r.int(3, 6) }, (_, i) => `${ordered ? `${i + 1}.` : '-'} ${sentence(r, 3, 10)}`).join('\n')
}

function table(r: Rng): string {
  const cols = r.int(2, 4)
  const head = Array.from({ length: cols }, () => r.pick(WORDS))
  const rows = Array.from({ length: r.int(2, 6) }, () => Array.from({ length: cols }, () => (r.chance(0.5) ? String(r.int(0, 9999)) : r.pick(WORDS))))
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n')
}

function otherFence(r: Rng): string {
  const lang = r.pick(FENCE_LANGS)
  const n = r.int(2, 8)
  const body = Array.from({ length: n }, (_, i) => {
    switch (lang) {
      case 'json':
        return `  "${r.pick(WORDS)}${i}": ${r.int(0, 1000)},`
      case 'yaml':
        return `${r.pick(WORDS)}${i}: ${r.pick(WORDS)}`
      case 'typescript':
        return `const ${r.pick(WORDS)}${i} = await ${r.pick(WORDS)}(${r.int(0, 99)})`
      case 'console':
        return i === 0 ? `$ npm run ${r.pick(WORDS)}` : `${r.pick(WORDS)} ${r.pick(WORDS)} ok`
      case 'diff':
        return `${r.pick(['+', '-', ' '])} ${r.pick(WORDS)} = ${r.int(0, 99)}`
      default:
        return sentence(r, 3, 9)
    }
  })
  return '```' + lang + '\n' + body.join('\n') + '\n```'
}

/** A snippet's code; `seq` makes it unique. Prints something small. */
function code(r: Rng, lang: RunLang, seq: number, shape: 'plain' | 'stdin' | 'args' | 'hello' | 'prepended'): string {
  const name = `${r.pick(WORDS)}_${seq}`
  const n = r.int(2, 40)
  switch (lang) {
    case 'python':
      if (shape === 'hello') return `greeting = "Hello, world!"  # ${seq}\nprint(greeting)`
      if (shape === 'stdin') return `name = input()  # ${seq}\nprint(f"Hello, {name}! ({${n}} * 2 = {${n} * 2})")`
      if (shape === 'args') return `import sys  # ${seq}\nfor i, arg in enumerate(sys.argv[1:]):\n    print(i, arg.upper())`
      if (shape === 'prepended') return `print(${name.replace(/_\d+$/, '')}_helper(${n}))  # ${seq}`
      return [
        `def ${name}(n):`,
        `    """Sum of squares below n."""`,
        `    return sum(i * i for i in range(n))`,
        '',
        `for n in range(1, ${Math.min(n, 6)}):`,
        `    print(n, ${name}(n))`,
      ].join('\n')
    case 'bash':
      if (shape === 'hello') return `msg="Hello, world!" # ${seq}\necho "$msg"`
      if (shape === 'stdin') return `read -r name # ${seq}\necho "Hello, $name ($(( ${n} * 2 )))"`
      if (shape === 'args') return `# ${seq}\nfor arg in "$@"; do\n  printf '%s\\n' "\${arg^^}"\ndone`
      if (shape === 'prepended') return `${name.replace(/_\d+$/, '')}_helper ${n} # ${seq}`
      return [`${name}=(${Array.from({ length: 4 }, () => r.pick(WORDS)).join(' ')})`, `for w in "\${${name}[@]}"; do`, `  echo "\${#w} $w"`, `done | sort -n`].join('\n')
    case 'sql':
      if (shape === 'hello') return `SELECT 'Hello, world!'; -- ${seq}`
      if (shape === 'prepended') return `SELECT name, qty FROM ${name.replace(/_\d+$/, '')}_items WHERE qty > ${n % 5} ORDER BY qty; -- ${seq}`
      return [`WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < ${Math.min(n, 8)})`, `SELECT x, x * x AS ${r.pick(WORDS)}_sq_${seq} FROM seq;`].join('\n')
    case 'javascript':
      if (shape === 'hello') return `const greeting = 'Hello, world!' // ${seq}\nconsole.log(greeting)`
      if (shape === 'stdin') return `const name = require('fs').readFileSync(0, 'utf8').trim() // ${seq}\nconsole.log(\`Hello, \${name} (\${${n} * 2})\`)`
      if (shape === 'args') return `// ${seq}\nfor (const [i, arg] of process.argv.slice(2).entries()) console.log(i, arg.toUpperCase())`
      if (shape === 'prepended') return `console.log(${name.replace(/_\d+$/, '')}Helper(${n})) // ${seq}`
      return [`const ${name} = [${Array.from({ length: 5 }, () => r.int(0, 99)).join(', ')}]`, `const total = ${name}.reduce((a, b) => a + b, 0)`, `console.log(total, Math.max(...${name}))`].join('\n')
  }
}

/** The hidden fence a `prepend`ed snippet needs (the helper its code calls). */
function setup(lang: RunLang, base: string): string {
  switch (lang) {
    case 'python':
      return `def ${base}_helper(n):\n    return [i * 3 for i in range(n % 7)]`
    case 'bash':
      return `${base}_helper() { seq 1 $(( $1 % 7 )) | paste -sd, -; }`
    case 'sql':
      return `CREATE TABLE ${base}_items (name TEXT, qty INTEGER);\nINSERT INTO ${base}_items VALUES ('a', 1), ('b', 3), ('c', 5), ('d', 7);`
    case 'javascript':
      return `const ${base}Helper = (n) => Array.from({ length: n % 7 }, (_, i) => i * 3)`
  }
}

const q = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`

/** One run fence with whatever it needs around it (hidden setup, stdin or output fence), or a copy of an earlier one. */
function runSnippet(r: Rng, id: number, stats: CorpusStats, pool: string[]): string[] {
  stats.runFences++
  const duplicate = pool.length > 0 && r.chance(0.06)
  if (duplicate) {
    stats.duplicates++
    return [r.pick(pool)]
  }
  const lang = r.pick(RUN_LANGS)
  stats.byLanguage[lang] = (stats.byLanguage[lang] ?? 0) + 1
  const roll = r.next()
  const shape = roll < 0.1 ? 'hello' : roll < 0.2 && lang !== 'sql' ? 'stdin' : roll < 0.28 && lang !== 'sql' ? 'args' : roll < 0.36 ? 'prepended' : 'plain'
  const meta: string[] = ['run']
  if (r.chance(0.3)) meta.push(`title=${q(title(r))}`)
  const body = code(r, lang, id, shape)
  const before: string[] = []
  const after: string[] = []
  if (shape === 'stdin') {
    stats.withStdin++
    if (r.chance(0.5)) meta.push(`stdin=${q(r.pick(WORDS))}`)
    else after.push('```text stdin\n' + r.pick(WORDS) + '\n```')
  } else if (shape === 'args') {
    stats.withArgs++
    meta.push(`args=${q(`${r.pick(WORDS)} '${r.pick(WORDS)} ${r.pick(WORDS)}' ${r.int(0, 9)}`)}`)
  } else if (shape === 'prepended') {
    stats.withPrepend++
    const base = body.match(/([a-z]+)_helper|([a-z]+)_items|([a-z]+)Helper/)!.slice(1).find(Boolean)!
    const setupId = `setup-${id}`
    before.push('```' + lang + ` id=${setupId} hidden\n` + setup(lang, base) + '\n```')
    stats.otherFences++
    meta.push(`prepend=${setupId}`)
  } else if (shape === 'hello') {
    stats.withOutputFence++
    after.push('```text output\nHello, world!\n```')
  }
  const fence = '```' + lang + ' ' + meta.join(' ') + '\n' + body + '\n```'
  if (shape === 'plain') pool.push(fence)
  return [...before, fence, ...after, ...(r.chance(0.4) ? [paragraph(r, r.int(1, 3))] : [])]
}

function emptyStats(posts: number): CorpusStats {
  return { posts, runFences: 0, duplicates: 0, uniqueJobs: 0, byLanguage: {}, withStdin: 0, withArgs: 0, withPrepend: 0, withOutputFence: 0, otherFences: 0, words: 0, bytes: 0 }
}

/** Adds post number `p` (from 0), made of `parts`, under a name and counts its words and bytes. */
function addPost({ files, stats }: Corpus, r: Rng, p: number, parts: string[]) {
  const text = parts.join('\n\n') + '\n'
  files.set(`posts/${String(p + 1).padStart(4, '0')}-${r.pick(WORDS)}.md`, text)
  stats.bytes += Buffer.byteLength(text)
  stats.words += text.split(/\s+/).filter(Boolean).length
}

/** Generates the corpus in memory. */
export function generateCorpus(options: CorpusOptions): Corpus {
  const r = prng(options.seed ?? 1)
  const { posts } = options
  if (!Number.isInteger(posts) || posts < 1) throw new TypeError('posts must be a whole number of at least 1')
  if (!Number.isInteger(options.snippets) || options.snippets < 0) throw new TypeError('snippets must be a whole number')
  const stats = emptyStats(posts)
  const files = new Map<string, string>()
  // Earlier plain snippets, for exact duplicates (same language, code, options).
  const pool: string[] = []
  let seq = 0

  for (let p = 0; p < posts; p++) {
    // An even spread with the remainder on the first posts: exact total.
    const count = Math.floor(options.snippets / posts) + (p < options.snippets % posts ? 1 : 0)
    const month = String((p % 12) + 1).padStart(2, '0')
    const day = String((p % 28) + 1).padStart(2, '0')
    const tags = Array.from(new Set(Array.from({ length: r.int(1, 3) }, () => r.pick(TAGS))))
    const parts: string[] = [
      ['---', `title: ${q(`${title(r)} (${p + 1})`)}`, `date: ${2020 + (p % 7)}-${month}-${day}`, `tags: [${tags.join(', ')}]`, `description: ${q(sentence(r, 6, 12))}`, '---'].join('\n'),
    ]
    if (!options.pythonOnly) parts.push(paragraph(r), paragraph(r))
    for (let s = 0; s < count; s++) {
      const id = seq++
      if (options.pythonOnly) {
        parts.push(`Snippet ${id}:`, '```python run\n' + `print("Hello, world! ${id}")` + '\n```')
        stats.runFences++
        stats.byLanguage.python = (stats.byLanguage.python ?? 0) + 1
        continue
      }
      if (s % 3 === 0) parts.push(`## ${title(r)}`)
      parts.push(paragraph(r))
      if (r.chance(0.3)) parts.push(list(r))
      if (r.chance(0.1)) parts.push(table(r))
      if (r.chance(0.25)) {
        parts.push(otherFence(r))
        stats.otherFences++
      }

      parts.push(...runSnippet(r, id, stats, pool))
    }
    if (!options.pythonOnly) parts.push(`## ${title(r)}`, paragraph(r), list(r))
    addPost({ files, stats }, r, p, parts)
  }
  stats.uniqueJobs = stats.runFences - stats.duplicates
  return { files, stats }
}

/** Writes the corpus under `dir/content`. */
export async function writeCorpus(dir: string, corpus: Corpus): Promise<void> {
  for (const [path, text] of corpus.files) {
    const target = join(dir, 'content', path)
    await mkdir(dirname(target), { recursive: true })
    await writeFile(target, text)
  }
}

const COMMENT: Record<string, string> = { python: '#', bash: '#', sql: '--', javascript: '//' }
const RUN_FENCE = /^```(python|bash|sql|javascript) run\b/

/**
 * Edits the `nth` run fence of a post (0-based, wrapping) by adding a comment
 * line to its code: exactly one request changes.
 */
export function editSnippet(text: string, nth: number, tag: string): string {
  const lines = text.split('\n')
  const starts = lines.flatMap((line, i) => (RUN_FENCE.test(line) ? [i] : []))
  if (starts.length === 0) throw new Error('no run fence to edit')
  const at = starts[nth % starts.length]!
  const lang = lines[at]!.match(RUN_FENCE)![1]!
  lines.splice(at + 1, 0, `${COMMENT[lang]} ${tag}`)
  return lines.join('\n')
}

export interface RealCorpusOptions {
  /** Default 1. */
  seed?: number
  /** Default 200. */
  posts?: number
  /** Run fences, all in the last `clusterPosts` posts. Default 166. */
  snippets?: number
  /** Default 30 (15% of the posts). */
  clusterPosts?: number
  /** Lines of the one huge run fence, in a late post. Default 1,090. */
  hugeFenceLines?: number
}

/** Front matter as big as a docs site's: authors, a long contributor list, series and SEO data. */
function bigFrontMatter(r: Rng, p: number): string {
  const person = () => {
    const name = `${title(r).split(' ').slice(0, 2).join(' ')}`
    const handle = name.toLowerCase().replace(/[^a-z]+/g, '-')
    return [`  - name: ${q(name)}`, `    github: ${handle}`, `    email: ${handle}@example.com`, `    role: ${r.pick(['author', 'reviewer', 'editor', 'translator'])}`, `    commits: ${r.int(1, 400)}`].join('\n')
  }
  const month = String((p % 12) + 1).padStart(2, '0')
  const day = String((p % 28) + 1).padStart(2, '0')
  return [
    '---',
    `title: ${q(`${title(r)} (${p + 1})`)}`,
    `date: ${2018 + (p % 8)}-${month}-${day}`,
    `updated: ${2019 + (p % 7)}-${month}-${day}`,
    `description: ${q(sentence(r, 12, 24))}`,
    `tags: [${Array.from(new Set(Array.from({ length: r.int(3, 8) }, () => r.pick(TAGS)))).join(', ')}]`,
    'authors:',
    ...Array.from({ length: r.int(1, 3) }, person),
    'contributors:',
    ...Array.from({ length: r.int(15, 60) }, person),
    'series:',
    `  name: ${q(title(r))}`,
    `  part: ${r.int(1, 12)}`,
    'seo:',
    `  canonical: https://example.com/posts/${p + 1}/`,
    `  keywords: [${Array.from({ length: r.int(5, 12) }, () => r.pick(WORDS)).join(', ')}]`,
    `  summary: >-`,
    ...Array.from({ length: r.int(3, 8) }, () => `    ${sentence(r)}`),
    '---',
  ].join('\n')
}

/** An ordinary fence of a tutorial: a long listing (config, source file, terminal session). */
function longFence(r: Rng): string {
  const lines = r.int(15, 70)
  const lang = r.pick(['typescript', 'yaml', 'json', 'console', 'python', 'text'])
  const body = Array.from({ length: lines }, (_, i) => `${'  '.repeat(r.int(0, 3))}${r.pick(WORDS)}_${i} = ${r.pick(WORDS)}(${r.int(0, 999)}) ${r.chance(0.3) ? `// ${sentence(r, 3, 8)}` : ''}`.trimEnd())
  return '```' + lang + '\n' + body.join('\n') + '\n```'
}

/** A python run fence of `lines` lines that prints one small line. */
function hugeRunFence(lines: number): string {
  const body = ['total = 0', ...Array.from({ length: lines - 2 }, (_, i) => `total += ${i} * ${i % 7}  # step ${i}`), 'print("total", total)']
  return '```python run title="The whole program"\n' + body.join('\n') + '\n```'
}

/**
 * A corpus shaped like a real tutorial blog rather than the even spread of
 * `generateCorpus`: long posts with big front matter and long ordinary
 * fences, the run fences clustered in the last posts (the order files are
 * listed and parsed in), a few very large posts, and one huge run fence.
 * About 2.7 MB of Markdown at the defaults.
 */
export function generateRealCorpus(options: RealCorpusOptions = {}): Corpus {
  const r = prng((options.seed ?? 1) + 1000)
  const { posts = 200, snippets = 166, hugeFenceLines = 1090 } = options
  const clusterPosts = Math.min(posts, options.clusterPosts ?? Math.max(1, Math.round(posts * 0.15)))
  const stats = emptyStats(posts)
  const files = new Map<string, string>()
  const pool: string[] = []
  const firstRunPost = posts - clusterPosts
  // The huge fence is one of the snippets.
  const clustered = Math.max(0, snippets - 1)
  // A few very large posts (about 10× the others): one early, one in the middle, one among the run fences.
  const large = new Set([Math.floor(posts * 0.2), Math.floor(posts * 0.6), posts - 2])
  let seq = 0
  for (let p = 0; p < posts; p++) {
    const k = p - firstRunPost
    const count = k < 0 ? 0 : Math.floor(clustered / clusterPosts) + (k < clustered % clusterPosts ? 1 : 0)
    const sections = large.has(p) ? r.int(40, 50) : r.int(4, 6)
    const parts: string[] = [bigFrontMatter(r, p), paragraph(r, 5)]
    for (let s = 0; s < sections; s++) {
      parts.push(`## ${title(r)}`, paragraph(r, r.int(3, 7)), paragraph(r, r.int(2, 6)))
      if (r.chance(0.5)) parts.push(list(r))
      if (r.chance(0.2)) parts.push(table(r))
      if (r.chance(0.6)) {
        parts.push(longFence(r))
        stats.otherFences++
      }
      // This post's run fences, spread over its sections.
      const here = Math.floor((count * (s + 1)) / sections) - Math.floor((count * s) / sections)
      for (let i = 0; i < here; i++) parts.push(...runSnippet(r, seq++, stats, pool))
    }
    if (p === posts - 2 && snippets > 0) {
      parts.push(hugeRunFence(hugeFenceLines))
      stats.runFences++
      stats.byLanguage.python = (stats.byLanguage.python ?? 0) + 1
    }
    addPost({ files, stats }, r, p, parts)
  }
  stats.uniqueJobs = stats.runFences - stats.duplicates
  return { files, stats }
}
