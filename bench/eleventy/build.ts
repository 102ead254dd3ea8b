/**
 * One whole-process Eleventy build of a bench corpus, as a blogger runs it
 * (`eleventy`, compiled JavaScript): with the plugin (`runnable`, frozen, so
 * a cache miss fails), the same unified setup without it (`plain`), or
 * Eleventy's own markdown-it (`markdown-it`, with Prism when BENCH_PRISM=1).
 * Its peak RSS comes from /usr/bin/time when it is installed.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { childOutput } from '../../test/helpers/child.js'

const repo = fileURLToPath(new URL('../../', import.meta.url))

/** A build process's peak RSS, when /usr/bin/time measured it. */
export interface ProcessRun {
  rssMb?: number
}

/** `command args` through /usr/bin/time (when installed) for its peak RSS; throws with its stderr when it fails. */
export async function measuredProcess(what: string, command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<ProcessRun> {
  const timed = existsSync('/usr/bin/time')
  const child = timed
    ? spawn('/usr/bin/time', ['-f', 'rb-max-rss-kb %M', command, ...args], { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
  const run = await childOutput(child)
  if (run.code !== 0) throw new Error(`${what} failed:\n${run.stderr.slice(-2000)}`)
  const kb = run.stderr.match(/rb-max-rss-kb (\d+)/)?.[1]
  return kb ? { rssMb: Number(kb) / 1024 } : {}
}

export function eleventyBuild(root: string, variant: 'plain' | 'runnable' | 'markdown-it', out: string, env: NodeJS.ProcessEnv = {}): Promise<ProcessRun> {
  const args = [`${repo}node_modules/@11ty/eleventy/cmd.cjs`, `--config=bench/eleventy/${variant}.config.js`, `--input=${root}/content`, `--output=${root}/${out}`, '--quiet']
  return measuredProcess(`eleventy (${variant})`, process.execPath, args, { cwd: repo, env: { ...process.env, RUNNABLE_FROZEN: '1', BENCH_CACHE: `${root}/cache`, RUNNABLE_RENDER_CACHE: `${root}/render-cache`, ...env } })
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
