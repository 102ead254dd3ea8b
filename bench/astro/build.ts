/**
 * Whole-process Astro builds of a bench corpus (`astro build`, under the
 * Node 22 the tests use when this one is older): its posts as Markdown pages
 * with Astro's own Shiki highlighting on (Astro's default), without the
 * integration (`astro`) or with it from the compiled lib/ (`runnable`,
 * frozen: every result from the corpus's cache/).
 */
import { cp, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { astroNode, linkModules } from '../../test/helpers/astro.js'
import { repoRoot } from '../../test/helpers/project.js'
import { measuredProcess, type ProcessRun } from '../eleventy/build.js'

export type AstroVariant = 'astro' | 'runnable'

/** Writes the site of `variant` beside the corpus at `root` (its content/ as src/pages/), and returns its folder. */
export async function astroSite(root: string, variant: AstroVariant): Promise<string> {
  const site = join(root, `astro-${variant}`)
  await mkdir(site, { recursive: true })
  await cp(join(root, 'content'), join(site, 'src/pages'), { recursive: true })
  const integration = pathToFileURL(join(repoRoot, 'lib/adapters/astro/index.js')).href
  const config =
    variant === 'runnable'
      ? `import runnable from ${JSON.stringify(integration)}\nexport default { integrations: [runnable({ cacheDir: ${JSON.stringify(join(root, 'cache'))}, configFile: false })] }\n`
      : 'export default {}\n'
  await writeFile(join(site, 'astro.config.mjs'), config)
  await writeFile(join(site, 'package.json'), '{ "name": "bench-site", "private": true, "type": "module" }\n')
  await linkModules(site)
  return site
}

export function astroBuild(site: string, root: string): Promise<ProcessRun> {
  const env = { ...process.env, RUNNABLE_FROZEN: '1', RUNNABLE_RENDER_CACHE: join(root, 'render-cache'), ASTRO_TELEMETRY_DISABLED: '1', PISTON_URL: '', GITHUB_ACTIONS: '' }
  return measuredProcess(`astro build (${site})`, astroNode(), [join(repoRoot, 'node_modules/astro/bin/astro.mjs'), 'build', '--silent'], { cwd: site, env })
}
