/**
 * The reusable GitHub Action (action.yml): valid, and its check step run as
 * a runner would run it, on a blog with a failing snippet.
 */
import { execFile, spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { childOutput } from './helpers/child.js'
import { fence, post, repoRoot, runMain, useServerAndProjects } from './helpers/project.js'

const run = promisify(execFile)
const { server: testServer, project } = useServerAndProjects()

interface Action {
  inputs: Record<string, { default: string }>
  runs: { using: string; steps: Array<{ name?: string; uses?: string; run?: string; env?: Record<string, string> }> }
}
const action = parse(await readFile(join(repoRoot, 'action.yml'), 'utf8')) as Action

/** Runs a step's script with bash as the runner does, `${{ inputs.x }}` replaced by `inputs` or the defaults. */
function runStep(name: string, cwd: string, inputs: Record<string, string>, env: NodeJS.ProcessEnv) {
  const step = action.runs.steps.find((s) => s.name === name)!
  const input = (key: string) => inputs[key] ?? action.inputs[key]!.default
  const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, v.replace(/\$\{\{ inputs\.([\w-]+) \}\}/g, (_, key: string) => input(key))]))
  const child = spawn('bash', ['-e', '-c', step.run!], { cwd, env: { ...process.env, ...env, ...stepEnv }, stdio: ['ignore', 'pipe', 'pipe'] })
  return childOutput(child)
}

describe('action.yml', () => {
  it('is a valid composite action whose steps are pinned', async () => {
    await expect(run(join(repoRoot, 'node_modules/.bin/action-validator'), [join(repoRoot, 'action.yml')])).resolves.toBeDefined()
    expect(action.runs.using).toBe('composite')
    for (const step of action.runs.steps.filter((s) => s.uses)) expect(step.uses).toMatch(/@[0-9a-f]{40}$/)
    // Inputs reach the script only through the environment, never pasted into it.
    for (const step of action.runs.steps.filter((s) => s.run)) expect(step.run).not.toContain('${{')
    // It installs what the check needs, not the dev dependencies, and compiles nothing.
    expect(action.runs.steps.find((s) => s.name === 'Install runnable-blog')!.run).toContain('npm ci --omit=dev --ignore-scripts')
  })

  it('fails the job with annotations and a summary, frozen by default, and runs what is missing when not frozen', async () => {
    const p = await project({
      'posts/a.md': post('A', `${fence('python run', 'print("fine")')}\n${fence('bash run', 'echo "%, not ok"\nexit 3')}`),
    })
    await p.write('summary.md', '')
    // The check runs the CLI's TypeScript through tsx (a dependency), as the install step leaves it: no lib/.
    const env = { GITHUB_ACTION_PATH: repoRoot, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: join(p.dir, 'summary.md'), PISTON_URL: '' }

    const frozen = await runStep('Check the snippets', p.dir, { content: 'posts' }, env)
    expect(frozen.code).toBe(1)
    expect(frozen.stdout).toMatch(/^::error file=posts\/a\.md,line=6,col=1,title=missing-result::python snippet could not run: no result in the committed cache/m)

    const live = await runStep('Check the snippets', p.dir, { content: 'posts', frozen: 'false', 'piston-url': testServer().url }, env)
    expect(live.code).toBe(1)
    expect(live.stdout).toContain('::error file=posts/a.md,line=10,col=1,title=snippet-failed::bash snippet exited with code 3 (expected exit code 0)%0A%25, not ok')
    expect(live.stderr).toContain('2 snippets: 1 passed, 1 failed, 0 skipped; 2 programs: 0 cached, 2 ran (1 error)')
    expect(await readFile(join(p.dir, 'summary.md'), 'utf8')).toContain('| ❌ `posts/a.md` | 2 | 1 | 1 | 0 | 2 | 0 | 2 |')
    // check writes nothing: the cache is as empty as before.
    expect((await runMain(['check', '--frozen', '--content', 'posts'], { cwd: p.dir })).stderr).toContain('2 snippets: 0 passed, 2 failed')
  }, 120_000)

  it('fails the job on a shortcode-only blog with a broken snippet, annotating the shortcode', async () => {
    const p = await project({
      'content/post.md': post('Broken', '{% codeRunner "Divide", "python" %}\nprint(1/0)\n{% endcodeRunner %}\n'),
      'content/_includes/partial.njk': '<p>fine</p>\n{% codeRunner "Fine", "bash" %}\necho fine\n{% endcodeRunner %}\n',
    })
    const env = { GITHUB_ACTION_PATH: repoRoot, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: '', PISTON_URL: '' }
    const frozen = await runStep('Check the snippets', p.dir, {}, env)
    expect(frozen.code).toBe(1)
    expect(frozen.stdout).toMatch(/^::error file=content\/post\.md,line=6,col=1,title=missing-result::python snippet "Divide" could not run: no result in the committed cache/m)
    expect(frozen.stdout).toMatch(/^::error file=content\/_includes\/partial\.njk,line=2,col=1,title=missing-result::bash snippet "Fine"/m)
    const live = await runStep('Check the snippets', p.dir, { frozen: 'false', 'piston-url': testServer().url }, env)
    expect(live.code).toBe(1)
    // Python's traceback names the body's line, the one after the shortcode's.
    expect(live.stdout).toMatch(/^::error file=content\/post\.md,line=7,col=7,title=snippet-failed::python snippet "Divide" exited with code 1/m)
    expect(live.stderr).toContain('2 snippets: 1 passed, 1 failed, 0 skipped')
  }, 120_000)

  it('with its defaults, checks what the CLI finds: an Astro project’s folders, the config file’s cache', async () => {
    const p = await project({
      'astro.config.mjs': 'export default {}\n',
      'src/content/blog/a.md': post('A', fence('python run', 'print("a")')),
      'src/pages/b.md': post('B', fence('bash run', 'echo b')),
      'runnable-blog.config.json': '{ "cache": "results" }\n',
    })
    const env = { GITHUB_ACTION_PATH: repoRoot, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: '', PISTON_URL: testServer().url }
    expect((await runMain(['update'], { cwd: p.dir, env })).code).toBe(0)
    const frozen = await runStep('Check the snippets', p.dir, {}, env)
    expect(frozen.stderr).toContain('2 snippets: 2 passed, 0 failed, 0 skipped; 2 programs: 2 cached, 0 ran')
    expect(frozen.code, frozen.stderr).toBe(0)
    // Folders the workflow names, separated by spaces, are the ones checked.
    const named = await runStep('Check the snippets', p.dir, { content: 'src/pages  src/content/blog' }, env)
    expect(named.code, named.stderr).toBe(0)
    expect(named.stderr).toContain('2 snippets: 2 passed')
    const one = await runStep('Check the snippets', p.dir, { content: 'src/pages' }, env)
    expect(one.stderr).toContain('1 snippet: 1 passed')
  }, 120_000)
})
