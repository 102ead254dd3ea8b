import { appendFile } from 'node:fs/promises'
import type { VFile } from 'vfile'
import { severity, type Tally, summaryLine, tally } from './format.js'
import { terminalSafe } from './terminal-text.js'

/** Safe for the log, then `%`, CR and LF escaped as GitHub's workflow commands require. */
function escapeData(text: string): string {
  return terminalSafe(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** Property values also escape `:` and `,`. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

/**
 * `::error file=…,line=…,col=…,title=…::message` for every message, so
 * failures show inline on the pull request's diff.
 */
export function annotations(files: VFile[]): string[] {
  return files.flatMap((file) =>
    file.messages.map((m) => {
      // A message whose line is not known annotates the file.
      const place = m.line === undefined ? [] : [`line=${m.line}`, `col=${m.column ?? 1}`]
      const props = [`file=${file.path}`, ...place, `title=${m.ruleId ?? 'runnable-blog'}`]
      const body = m.note ? `${m.reason}\n${m.note}` : m.reason
      return `::${{ error: 'error', warning: 'warning', note: 'notice' }[severity(m)]} ${props.map(escapeProperty).join(',')}::${escapeData(body)}`
    }),
  )
}

const cell = (text: string) => terminalSafe(text).replace(/\|/g, '\\|').replace(/\n/g, ' ')

/** A Markdown job summary: totals, a table of posts, and each failure. */
export function jobSummary(files: VFile[]): string {
  // A post without a snippet or a problem has nothing to say: most posts of a blog have no run fence.
  const rows = files.filter((file) => file.data.snippets?.length || file.messages.length).map((file) => {
    const t: Tally = tally([file])
    const mark = t.errors ? '❌' : t.warnings ? '⚠️' : '✅'
    return `| ${mark} \`${cell(file.path)}\` | ${t.snippets} | ${t.passed} | ${t.failed} | ${t.skipped} | ${t.programs} | ${t.cached} | ${t.ran} |`
  })
  const failures = files.flatMap((file) =>
    file.messages.filter((m) => m.fatal).map((m) => `- \`${terminalSafe(file.path)}${m.line === undefined ? '' : `:${m.line}:${m.column ?? 1}`}\` ${cell(m.reason)}`),
  )
  return [
    '## Runnable snippets',
    '',
    summaryLine(tally(files)),
    '',
    '| post | snippets | passed | failed | skipped | programs | cached | ran |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    ...(failures.length ? ['', '### Failures', '', ...failures] : []),
    '',
  ].join('\n')
}

/** Under GitHub Actions: annotations on stdout, and the summary appended to $GITHUB_STEP_SUMMARY. */
export async function reportToGitHub(files: VFile[], env: NodeJS.ProcessEnv): Promise<void> {
  if (env.GITHUB_ACTIONS !== 'true') return
  for (const line of annotations(files)) console.log(line)
  if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, jobSummary(files) + '\n')
}
