/**
 * One whole-process Eleventy build of a bench corpus, as a blogger runs it
 * (`eleventy`, compiled JavaScript): with the plugin (`runnable`, frozen, so
 * a cache miss fails) or the same unified setup without it (`plain`).
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { childOutput } from '../../test/helpers/child.js'

const repo = fileURLToPath(new URL('../../', import.meta.url))

export async function eleventyBuild(root: string, variant: 'plain' | 'runnable', out: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const args = [`${repo}node_modules/@11ty/eleventy/cmd.cjs`, `--config=bench/eleventy/${variant}.config.js`, `--input=${root}/content`, `--output=${root}/${out}`, '--quiet']
  const child = spawn(process.execPath, args, { cwd: repo, env: { ...process.env, RUNNABLE_FROZEN: '1', BENCH_CACHE: `${root}/cache`, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const run = await childOutput(child)
  if (run.code !== 0) throw new Error(`eleventy (${variant}) failed:\n${run.stderr.slice(-2000)}`)
}

/**
 * One whole-process `check` as users run it (`runnable-blog check`, compiled
 * JavaScript in lib/, frozen: every result from cache/), or its plain
 * baseline (bench/plain-check.js: the same remark pipeline without the plugin).
 */
export async function checkProcess(root: string, variant: 'plain' | 'runnable'): Promise<void> {
  const args = variant === 'plain' ? [`${repo}bench/plain-check.js`, root] : [`${repo}lib/cli/bin.js`, 'check', '--frozen', '--content=content', '--cache=cache']
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
  const run = await childOutput(child)
  if (run.code !== 0) throw new Error(`check (${variant}) failed:\n${run.stdout.slice(-1000)}${run.stderr.slice(-2000)}`)
}
