/**
 * Real Eleventy builds of fixture sites, as a blogger runs them: the
 * `eleventy` command in the site's folder, with a config that adds the
 * plugin (from this repo's source, through tsx's loader).
 */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { type ChildOutput, childOutput } from './child.js'
import { type LongRunningChild, longRunning } from './long-running.js'
import { repoRoot } from './project.js'

const require = createRequire(import.meta.url)
const tsxLoader = pathToFileURL(require.resolve('tsx')).href
export const eleventyBin = join(repoRoot, 'node_modules/@11ty/eleventy/cmd.cjs')
const plugin = pathToFileURL(join(repoRoot, 'src/adapters/eleventy/index.ts')).href

/**
 * `eleventy.config.js` for a fixture: the plugin with `options` (a JS object
 * literal), a layout with a `<head>`, input `content`, output `dist`, and
 * Eleventy's defaults otherwise (Liquid before Markdown).
 */
export function eleventyConfig(options = '{}', extra = ''): Record<string, string> {
  return {
    'eleventy.config.js': `import runnable from ${JSON.stringify(plugin)}
export default function (eleventyConfig) {
  eleventyConfig.addPlugin(runnable, ${options})
  ${extra}
  return { dir: { input: 'content', output: 'dist' } }
}
`,
    'content/_includes/base.njk': '<!doctype html>\n<html><head><title>{{ title }}</title></head>\n<body>\n{{ content | safe }}\n</body></html>\n',
    'content/content.json': '{ "layout": "base.njk" }\n',
  }
}

const quietEnv = { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', PISTON_URL: '', PISTON_TOKEN: '', RUNNABLE_LIVE_ENDPOINT: '', RUNNABLE_FROZEN: '' }

function spawnEleventy(cwd: string, args: string[], env: NodeJS.ProcessEnv, detached = false) {
  return spawn(process.execPath, ['--import', tsxLoader, eleventyBin, ...args], {
    cwd,
    env: { ...process.env, ...quietEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  })
}

/** Runs `eleventy --quiet` (with `args`) in `cwd`, as a separate process. */
export function runEleventy(cwd: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ChildOutput> {
  return childOutput(spawnEleventy(cwd, ['--quiet', ...args], env))
}

/** Starts `eleventy --watch` in `cwd` (not quiet: it says which files it saw change), in a process group of its own. */
export function startEleventyWatch(cwd: string, env: NodeJS.ProcessEnv = {}): LongRunningChild {
  return longRunning(spawnEleventy(cwd, ['--watch'], env, true))
}
