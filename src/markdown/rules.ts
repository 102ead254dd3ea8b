import type { Node } from 'unist'
import type { VFile } from 'vfile'

/**
 * Every problem the pipeline reports, and whether it fails the build. This
 * table is the only place that decides error versus warning.
 */
export const rules = {
  /** The fence's meta string cannot be tokenized (unterminated quote...). */
  'meta-syntax': 'error',
  /** A known option with a value it cannot take. */
  'invalid-option': 'error',
  /** The same option twice in one fence. */
  'duplicate-option': 'error',
  /** An option nobody knows: probably a typo, so say so, but build. */
  'unknown-option': 'warning',
  /** A host highlighter's meta (`ins={2}`, `showLineNumbers`, `"text"`) on a fence this package draws, where it shows nothing. */
  'ignored-meta': 'warning',
  /** `prepend=` / `files=` names an id or file no fence in the post declares. */
  'missing-reference': 'error',
  /** A `stdin` / `output` fence that does not follow a run fence. */
  'orphan-fence': 'warning',
  /** A fence right after a run fence that looks like its expected output but is not an `output` fence. */
  'unchecked-output': 'warning',
  /** The engine has no runtime for the fence's language or version. */
  'unknown-runtime': 'error',
  /** The snippet ran and did not end as declared (non-zero exit, timeout, limit...). */
  'snippet-failed': 'error',
  /** The program's stdout differs from the `output` fence. */
  'output-mismatch': 'error',
  /** The engine could not be reached or answered with an error. */
  'engine-failed': 'error',
  /** `--frozen`: the committed cache has no result for this snippet. */
  'missing-result': 'error',
  /** Front matter that is not YAML, or a field of the wrong kind. */
  'front-matter': 'error',
  /** An MDX page that MDX cannot read (a tag not closed...), so no fence of it can be found: its host's build fails on it too. */
  'mdx-syntax': 'error',
  /** Block quotes and lists nested deeper than the Markdown stages can take: the post is not built. */
  'nesting-too-deep': 'error',
  /** rehypeRunnable after a highlighter: it cannot read the fences it would run. */
  'plugin-order': 'error',
  /** A cache entry could not be read; the snippet runs again. */
  'cache-invalid': 'warning',
  /** `--frozen`: the committed cache entry for this snippet is corrupt (a frozen build cannot run it again). */
  'cache-corrupt': 'error',
  /** A fresh result could not be written to the cache (disk full, no permission...). */
  'cache-write-failed': 'error',
  /** An ambiguous answer (clean exit, no output, no status) was checked by running the job again alone. */
  'confirmed-result': 'info',
  /** A page marked `draft: true`, which a production build does not publish: its fences are not run (Astro). */
  'draft-not-run': 'info',
  /**
   * An answer a server without `status` may have cut short: accepted for
   * `expect=output-limit`/`timeout` (a clean exit with no output at all), or
   * shown with the doubt (output that may have been dropped).
   */
  'ambiguous-result': 'warning',
} as const

export type RuleId = keyof typeof rules

export const source = 'runnable-blog'

export interface Problem {
  ruleId: RuleId
  reason: string
  /** Where: a node, or a point/position computed more precisely. */
  place?: Node['position'] | { line: number; column: number }
  cause?: Error
}

/** True when problems of this rule fail the build. */
export const isError = (ruleId: RuleId): boolean => rules[ruleId] === 'error'

/** Attach a problem to the file as a vfile message: errors are `fatal: true`, warnings `false`, infos `undefined` (vfile's convention). */
export function report(file: VFile, problem: Problem) {
  const message = file.message(problem.reason, {
    place: problem.place ?? undefined,
    ruleId: problem.ruleId,
    source,
    cause: problem.cause,
  })
  message.fatal = isError(problem.ruleId) ? true : rules[problem.ruleId] === 'warning' ? false : undefined
  return message
}

/** True when any message on these files fails the build. */
export function hasErrors(files: Iterable<VFile>): boolean {
  for (const file of files) if (file.messages.some((m) => m.fatal === true)) return true
  return false
}
