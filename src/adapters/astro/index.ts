/**
 * `runnable-blog/astro`: `integrations: [runnable(options)]` and an Astro
 * site's Markdown (and MDX), in `src/pages` and in content collections, runs
 * its `run` fences, as the CLI's `check` does, with the same cache, on
 * Sätteri (Astro's default processor) or unified.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AstroIntegration } from 'astro'
import { checkAssetsDir } from '../assets-dir.js'
import { injectAssets } from '../inject.js'
import { createRunnableHost, type HashedAsset, printReport, type RunnableHost } from '../host.js'
import type { RunnableOptions } from '../options.js'
import { type AssetsPrefix, astroAssetUrl } from './asset-url.js'
import { type ContentStamp, contentStamp } from './content-store.js'
import type { MiddlewareAssets } from './middleware.js'
import type { AstroPage } from './page.js'
import { remarkAstroRunnable } from './remark.js'
import { satteriRunnable } from './satteri.js'
import { siteThemes } from './themes.js'

/** Options of the Astro integration: every host option, and where the assets go. */
export interface RunnableAstroOptions extends RunnableOptions {
  /** Folder under the output folder for the stylesheet and script. Default `_runnable`. */
  assetsDir?: string
}

/** The processor shapes this integration adds its step to (`markdown.processor`). */
interface Processor {
  name: string
  options: { mdastPlugins?: unknown[]; remarkPlugins?: unknown[] }
}

/** The page assets of a build: each file, and where a page links it. */
interface Assets {
  css: HashedAsset
  copy: HashedAsset
  live?: HashedAsset
  links: Omit<MiddlewareAssets, 'everyPage'>
}

export default function runnable(options: RunnableAstroOptions = {}): AstroIntegration {
  const { assetsDir: assetsOption = '_runnable', ...hostOptions } = options
  const assetsDir = checkAssetsDir(assetsOption)
  let host: RunnableHost | undefined
  let stamp: ContentStamp | undefined
  let assets: Assets | undefined
  let onDemand = false

  /** The assets, and their links: one set for the built pages and the middleware's, so both link alike. */
  async function pageAssets(host: RunnableHost, base: string, assetsPrefix: AssetsPrefix): Promise<Assets> {
    const [css, copy, live] = await Promise.all([host.stylesheet(), host.copyScript(), host.settings.liveEndpoint ? host.liveScript() : undefined])
    const link = (asset: HashedAsset) => astroAssetUrl(`${assetsDir}/${asset.name}`, base, assetsPrefix)
    const links = { css: link(css), copy: link(copy), live: live && { script: link(live), endpoint: host.settings.liveEndpoint! } }
    return { css, copy, live, links }
  }

  return {
    name: 'runnable-blog',
    hooks: {
      'astro:config:setup': async ({ config, command, addMiddleware, createCodegenDir, updateConfig }) => {
        const root = fileURLToPath(config.root)
        // The blocks' colours are the site's other fences' (markdown.shikiConfig), unless set here.
        host ??= createRunnableHost({ ...hostOptions, highlight: siteThemes(config.markdown, hostOptions.highlight, config.integrations) }, { cwd: root, ownOptions: ['assetsDir'] })
        host.startBuild()
        if (command === 'preview') return
        // Beside the data store this command uses (content-store.ts).
        const storeDir = command === 'dev' ? join(root, '.astro') : fileURLToPath(config.cacheDir)
        stamp = await contentStamp(join(storeDir, 'runnable-blog.json'), host.settings, root)
        const processor = config.markdown.processor as unknown as Processor
        // The dev server prints no build report: each page's problems as it is rendered.
        const mode: Pick<AstroPage, 'printProblems' | 'draftsUnder'> = { printProblems: command === 'dev' }
        if (command === 'build' && config.integrations.some((integration) => integration.name === '@astrojs/starlight')) {
          // Starlight publishes no draft of its docs in a production build (`astro build` without another --mode), which Vite's resolved config tells.
          const docs = `${relative(root, fileURLToPath(config.srcDir)).split(sep).join('/')}/content/docs/`.replace(/^\//, '')
          const plugin = { name: 'runnable-blog:drafts', configResolved: ({ mode: vite }: { mode: string }) => void (mode.draftsUnder = vite === 'production' ? docs : undefined) }
          updateConfig({ vite: { plugins: [plugin] } })
        }
        if (processor.name === 'satteri' && processor.options.mdastPlugins) processor.options.mdastPlugins.push({ ...satteriRunnable(host, root, mode), stamp: stamp.stamp })
        else if (processor.options.remarkPlugins) processor.options.remarkPlugins.push([remarkAstroRunnable(host, root, mode), { stamp: stamp.stamp }])
        else throw new TypeError(`runnable-blog: Astro's Markdown processor "${processor.name}" takes neither mdast (Sätteri) nor remark (unified) plugins`)

        // Pages rendered as they are asked for (every page in dev, on-demand ones after a build) get their assets from a middleware.
        // The dev server serves the assets itself (astro:server:setup): no assetsPrefix there.
        assets = await pageAssets(host, config.base, command === 'dev' ? undefined : config.build.assetsPrefix)
        const baked: MiddlewareAssets = { ...assets.links, everyPage: command === 'dev' }
        const entry = new URL('middleware.mjs', createCodegenDir())
        await writeFile(entry, `import { runnableMiddleware } from ${JSON.stringify(new URL('./middleware.js', import.meta.url).href)}\nexport const onRequest = runnableMiddleware(${JSON.stringify(baked)})\n`)
        addMiddleware({ entrypoint: entry, order: 'post' })
      },
      'astro:config:done': ({ buildOutput }) => {
        onDemand = buildOutput === 'server'
      },
      'astro:server:setup': ({ server }) => {
        // The dev server has no output folder: it serves the assets itself.
        server.middlewares.use((request, response, next) => {
          const name = new URL(request.url ?? '/', 'http://dev').pathname.split('/').pop()
          const asset = assets && [assets.css, assets.copy, assets.live].find((a) => a?.name === name)
          if (!asset || !request.url?.includes(`/${assetsDir}/`)) return next()
          response.setHeader('content-type', asset.name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8')
          response.end(asset.text)
        })
      },
      'astro:build:done': async ({ dir }) => {
        if (!host || !assets) return
        const out = fileURLToPath(dir)
        // An on-demand page may have blocks: each asset is there for it.
        const used = new Set<HashedAsset>(onDemand ? [assets.css, assets.copy, ...(assets.live ? [assets.live] : [])] : [])
        for (const page of await htmlFiles(out)) {
          const injected = injectAssets(await readFile(page, 'utf8'), assets.links)
          if (!injected.css) continue
          used.add(assets.css)
          if (injected.js) used.add(assets.live!)
          if (injected.copy) used.add(assets.copy)
          await writeFile(page, injected.html)
        }
        if (used.size) await mkdir(join(out, assetsDir), { recursive: true })
        for (const asset of used) await writeFile(join(out, assetsDir, asset.name), asset.text)
        // Entries Astro kept from its store were not rendered: their snippets and warnings, as the last build that passed reported them.
        for (const file of stamp?.kept ?? []) host.addPage(file, true)
        const report = host.finishBuild()
        await stamp?.settle(report)
        const failure = await printReport(report)
        await host.close()
        // Thrown, Astro would print it as an unhandled error with a stack trace, and its own lines after the report.
        if (failure) failAtExit(failure.message)
      },
      'astro:server:done': async () => {
        if (host) await stamp?.settle(host.finishBuild())
        await host?.close()
      },
    },
  }
}

/** Fails the process once Astro is done (it exits with 0 itself), the reason its last line. */
function failAtExit(reason: string): void {
  process.exitCode = 1
  process.once('exit', () => {
    console.error(`[runnable-blog] ${reason.replace(/^runnable-blog: /, '')}`)
    process.exitCode = 1
  })
}

async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((e) => e.isFile() && e.name.endsWith('.html')).map((e) => join(e.parentPath, e.name))
}
