import type { Code, Parent, Root } from 'mdast'
import type { Node } from 'unist'
import { CONTINUE, SKIP, visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { defaultFileName } from '../execution/languages.js'
import type { ExecuteRequest, JobFile } from '../execution/types.js'
import type { MetaToken } from './meta.js'
import { type FenceOptions, optionNames, readFenceOptions } from './options.js'
import { metaPlace, rawMeta, sourceLines } from './place.js'
import { capRepeats } from './repeats.js'
import { isError, type RuleId, report } from './rules.js'

/** A run fence and everything needed to run, judge and render it. */
export interface Snippet {
  node: Code
  options: FenceOptions
  /** Absent when the fence is skipped or its request could not be built (already reported). */
  request?: ExecuteRequest
  /** The fences whose code comes first in the entry file (`prepend`), in order. */
  prepended: Code[]
  /** The `stdin` fence after the snippet, shown with it. */
  stdinFence?: { node: Code; options: FenceOptions }
  /** The `output` fence after the snippet: its expected stdout. */
  outputFence?: { node: Code; options: FenceOptions }
  /** Why the snippet is not run: every error reported on its fence, in the order found. */
  errors: string[]
}

export interface Collected {
  snippets: Snippet[]
  /** Fences that leave the page: hidden ones, and stdin/output fences folded into their snippet. */
  consumed: Set<Code>
  /** Extra files shown in the page (declared with `file=`, not hidden), with their names and options. */
  files: Array<{ node: Code; name: string; options: FenceOptions }>
  /**
   * Other fences of this tool's with errors (a second `file=util.py`, an
   * invalid `id=`): shown with their errors, so that the page a dev server
   * serves says what the terminal says.
   */
  invalid: Array<{ node: Code; options: FenceOptions; errors: string[] }>
  /** Where each fence this tool owns sits, in document order, so it can be replaced without another walk. */
  places: Array<{ node: Code; parent: Parent; index: number }>
}

interface Fence {
  node: Code
  parent: Parent
  index: number
  options: FenceOptions
  tokens: MetaToken[]
  meta: { column: number }
  /** Every error reported on this fence, in the order found. */
  errors: string[]
}

/**
 * A fence is this tool's when it uses any of its options, even with a value
 * that is wrong (`file=../x`), so that the mistake is reported rather than
 * dropped. `title` alone is left to other tools, which use it too.
 */
const isOurs = (o: FenceOptions, tokens: MetaToken[]) =>
  o.run || o.skip || o.hidden || o.id !== undefined || o.file !== undefined || o.role !== undefined ||
  tokens.some((t) => t.key !== 'title' && (optionNames as readonly string[]).includes(t.key))

/**
 * The fences `collectSnippets` reads: one with words after its language, or
 * an `output` one. Every other fence is left to others, so a page without
 * such a fence has nothing for this package.
 */
export const mayBeOwnFence = (node: Pick<Code, 'lang' | 'meta'>): boolean => Boolean(node.meta) || node.lang === 'output'

/** A fence's info string as remark splits it (for a host's own parser, or a line scan): its language, and the words after it. */
export function infoParts(info: string): Pick<Code, 'lang' | 'meta'> {
  const trimmed = info.trim()
  const lang = /^\S*/.exec(trimmed)![0]
  return { lang: lang || null, meta: trimmed.slice(lang.length).trim() || null }
}

/** Nodes whose content is inline: no fence can be inside. */
const WITHOUT_FENCES = new Set(['paragraph', 'heading', 'table', 'html', 'definition'])

/**
 * Whether a node may hold a fence: not inline content, unless a plugin made
 * the node a container of blocks with a name of its own (Starlight's asides:
 * a `paragraph` with `data.hName` 'aside' holding the directive's blocks).
 */
export const mayHoldFences = (node: Node): boolean => !WITHOUT_FENCES.has(node.type) || (node.data as { hName?: string } | undefined)?.hName !== undefined

/** Languages a fence showing a program's output is usually written in. */
const OUTPUT_LIKE = new Set(['', 'text', 'txt', 'plain', 'plaintext', 'console', 'stdout', 'out', 'result', 'results'])

/**
 * Reads every fence of a post that this tool owns, reports option problems at
 * their exact column, and resolves references between fences. Synchronous:
 * nothing here waits for an engine. With the server's run time limit known
 * (`maxRunTimeoutMs`), a `timeout=` above it is an error here rather than a
 * refusal from the server.
 */
export function collectSnippets(tree: Root, file: VFile, maxRunTimeoutMs?: number): Collected {
  let lines: string[] | undefined
  const fences: Fence[] = []
  // Fences that are not ours: one right after a run fence may be an expected output written wrong.
  const others: Array<{ node: Code; previous: unknown }> = []
  visit(tree, (node, index, parent) => {
    // A fence is never inside these: their inline nodes (most of a post's tree) are not walked.
    if (node.type !== 'code') return mayHoldFences(node) ? CONTINUE : SKIP
    if (parent === undefined || index === undefined) return
    const other = () => void others.push({ node, previous: parent.children[index - 1] })
    if (!mayBeOwnFence(node)) return other()
    lines ??= sourceLines(file)
    const meta = (node.meta && rawMeta(lines, node)) || { text: node.meta ?? '', column: node.position?.start.column ?? 1 }
    const { options, problems, tokens } = readFenceOptions(meta.text, node.lang)
    if (!isOurs(options, tokens)) return other()
    const fence: Fence = { node, parent, index, options, tokens, meta, errors: problems.filter((p) => isError(p.ruleId)).map((p) => p.message) }
    for (const p of capRepeats(problems)) report(file, { ruleId: p.ruleId, reason: p.message, place: metaPlace(meta, node, p.start, p.end) })
    fences.push(fence)
  })

  const problem = (fence: Fence, key: string, ruleId: RuleId, reason: string) => {
    const token = fence.tokens.find((t) => t.key === key)
    report(file, { ruleId, reason, place: token ? metaPlace(fence.meta, fence.node, token.start, token.end) : fence.node.position })
    if (isError(ruleId)) fence.errors.push(reason)
  }

  const byId = new Map<string, Fence>()
  const byFile = new Map<string, Fence>()
  for (const fence of fences) {
    const { id, file: name, run, skip } = fence.options
    if (id !== undefined) declare(byId, id, fence, 'id')
    if (name !== undefined && !run && !skip) declare(byFile, name, fence, 'file')
  }
  function declare(map: Map<string, Fence>, name: string, fence: Fence, key: string) {
    const first = map.get(name)
    // In the source file's lines, like the message's own place (a host's page may start after front matter).
    const line = first?.node.position && (file.data.sourceLine ?? ((at: number) => at))(first.node.position.start.line)
    if (first) problem(fence, key, 'invalid-option', `${key} "${name}" is already declared${line ? ` at line ${line}` : ''}`)
    else map.set(name, fence)
  }

  const consumed = new Set<Code>()
  const snippets: Snippet[] = []
  // A run fence, and its stdin fence, each lead to the snippet: an output fence may follow either.
  const runFences = new Map<unknown, Snippet>()
  for (const fence of fences) {
    const { node, options } = fence
    if (options.role) {
      const owner = runFences.get(fence.parent.children[fence.index - 1])
      const slot = options.role === 'stdin' ? 'stdinFence' : 'outputFence'
      if (!owner || owner[slot] || (slot === 'stdinFence' && owner.outputFence)) {
        problem(fence, options.role, 'orphan-fence', `${options.role === 'output' ? 'an' : 'a'} ${options.role} fence must directly follow a run fence; shown as plain code`)
        continue
      }
      if (options.role === 'stdin') {
        owner.stdinFence = { node, options }
        runFences.set(node, owner)
      } else owner.outputFence = { node, options }
      consumed.add(node)
      continue
    }
    if (options.hidden && !options.run) consumed.add(node)
    if (!options.run && !options.skip) continue
    const snippet: Snippet = { node, options, prepended: [], errors: [] }
    snippets.push(snippet)
    runFences.set(node, snippet)
  }

  for (const { node, previous } of others) {
    const owner = runFences.get(previous)
    if (owner && !owner.outputFence && !owner.options.skip && OUTPUT_LIKE.has(node.lang ?? '')) {
      const language = node.lang ? `\`\`\`${node.lang}` : 'without a language'
      report(file, {
        ruleId: 'unchecked-output',
        reason: `this fence (${language}) right after a run fence looks like its expected output but is not checked; write \`\`\`text output (or \`\`\`output) to compare stdout with it`,
        place: node.position,
      })
    }
  }

  const fenceOf = new Map(fences.map((f) => [f.node, f]))
  for (const snippet of snippets) {
    if (snippet.options.skip) continue
    const fence = fenceOf.get(snippet.node)!
    if (snippet.stdinFence && snippet.options.stdin !== undefined) {
      problem(fence, 'stdin', 'invalid-option', 'stdin is given twice: inline and as a stdin fence')
    }
    // Every problem is reported at once; a fence with an error is not run: what it would run is not what its author wrote.
    buildRequest(fence, snippet)
    snippet.errors = fence.errors
  }
  const files = [...byFile].filter(([, f]) => !consumed.has(f.node)).map(([name, f]) => ({ node: f.node, name, options: f.options }))
  const placed = new Set([...snippets.map((s) => s.node), ...files.map((f) => f.node), ...consumed])
  const invalid = fences.filter((f) => f.errors.length && !placed.has(f.node)).map(({ node, options, errors }) => ({ node, options, errors }))
  return { snippets, consumed, files, invalid, places: fences }

  /** The fences whose code runs before `fence`: its `prepend` chain, depth first, each once; undefined when a link is broken (each one reported). */
  function prependedFences(fence: Fence, seen: Set<Fence>): Code[] | undefined {
    const code: Code[] = []
    let whole = true
    for (const id of fence.options.prepend) {
      const target = byId.get(id)
      if (!target) problem(fence, 'prepend', 'missing-reference', `prepend names "${id}", but no fence in this post has id=${id}`)
      else if (seen.has(target)) problem(fence, 'prepend', 'invalid-option', `prepend "${id}" leads back to itself`)
      const inner = target && !seen.has(target) && prependedFences(target, new Set(seen).add(target))
      if (inner) code.push(...inner, target.node)
      else whole = false
    }
    return whole ? code : undefined
  }

  function buildRequest(fence: Fence, snippet: Snippet) {
    const { node, options } = fence
    if (!node.lang) {
      const reason = 'a run fence needs a language, e.g. ```python run'
      report(file, { ruleId: 'invalid-option', reason, place: node.position })
      fence.errors.push(reason)
      return
    }
    const prepended = prependedFences(fence, new Set([fence]))
    const extras: JobFile[] = []
    for (const name of options.files) {
      const target = byFile.get(name)
      if (target) extras.push({ name, content: target.node.value })
      else problem(fence, 'files', 'missing-reference', `files names "${name}", but no fence in this post has file=${name}`)
    }
    const entryName = options.file ?? defaultFileName(node.lang)
    if (extras.some((f) => f.name === entryName)) problem(fence, 'files', 'invalid-option', `files includes "${entryName}", the snippet's own entry file`)
    if (maxRunTimeoutMs !== undefined && options.timeout !== undefined && options.timeout > maxRunTimeoutMs) {
      problem(fence, 'timeout', 'invalid-option', `timeout=${options.timeout} is above the server's run time limit of ${maxRunTimeoutMs} ms (limits.runTimeout); it may only lower it`)
    }
    if (!prepended || fence.errors.length) return
    const entry = { name: entryName, content: prepended.map((code) => code.value + '\n').join('') + node.value }
    const request: ExecuteRequest = { language: node.lang, version: options.version ?? '*', files: [entry, ...extras] }
    const stdin = options.stdin ?? snippet.stdinFence?.node.value
    if (stdin !== undefined) request.stdin = stdin
    if (options.args) request.args = options.args
    if (options.timeout !== undefined) request.run_timeout = options.timeout
    snippet.request = request
    snippet.prepended = prepended
  }
}
