/**
 * `runnable-blog/astro`: `integrations: [runnable(options)]` and an Astro
 * site's Markdown (and MDX) runs its `run` fences, as the CLI's `check` does,
 * with the same cache, on Sätteri (Astro's default processor) or unified.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AstroIntegration } from 'astro'
import { stylesheetPath } from '../../render/assets.js'
import { checkAssetsDir } from '../assets-dir.js'
import { injectAssets } from '../inject.js'
import { createRunnableHost, type HashedAsset, printReport } from '../host.js'
import type { RunnableOptions } from '../options.js'
import { remarkAstroRunnable } from './remark.js'
import { satteriRunnable } from './satteri.js'

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

export default function runnable(options: RunnableAstroOptions = {}): AstroIntegration {
  const { assetsDir: assetsOption = '_runnable', ...hostOptions } = options
  const assetsDir = checkAssetsDir(assetsOption)
  let host: ReturnType<typeof createRunnableHost> | undefined
  let root = process.cwd()

  return {
    name: 'runnable-blog',
    hooks: {
      'astro:config:setup': ({ config, command, injectScript }) => {
        root = fileURLToPath(config.root)
        host ??= createRunnableHost(hostOptions, { cwd: root, ownOptions: ['assetsDir'] })
        host.startBuild()
        const processor = config.markdown.processor as unknown as Processor
        if (processor.name === 'satteri' && processor.options.mdastPlugins) processor.options.mdastPlugins.push(satteriRunnable(host, root))
        else if (processor.options.remarkPlugins) processor.options.remarkPlugins.push(remarkAstroRunnable(host, root))
        else throw new TypeError(`runnable-blog: Astro's Markdown processor "${processor.name}" takes neither mdast (Sätteri) nor remark (unified) plugins`)
        // The dev server serves pages as they render: the stylesheet comes through Vite.
        if (command === 'dev') injectScript('page-ssr', `import ${JSON.stringify(stylesheetPath)}`)
      },
      'astro:build:done': async ({ dir }) => {
        if (!host) return
        const out = fileURLToPath(dir)
        const css = await host.stylesheet()
        const js = host.settings.liveEndpoint ? await host.liveScript() : undefined
        const copy = await host.copyScript()
        const used = new Set<HashedAsset>()
        for (const page of await htmlFiles(out)) {
          const path = relative(out, page).split(sep).join('/')
          const injected = injectAssets(await readFile(page, 'utf8'), {
            pageUrl: `/${path}`,
            css: `${assetsDir}/${css.name}`,
            copy: `${assetsDir}/${copy.name}`,
            live: js && { script: `${assetsDir}/${js.name}`, endpoint: host.settings.liveEndpoint! },
          })
          if (!injected.css) continue
          used.add(css)
          if (injected.js) used.add(js!)
          if (injected.copy) used.add(copy)
          await writeFile(page, injected.html)
        }
        if (used.size) await mkdir(join(out, assetsDir), { recursive: true })
        for (const asset of used) await writeFile(join(out, assetsDir, asset.name), asset.text)
        const failure = await printReport(host.finishBuild())
        await host.close()
        if (failure) throw failure
      },
      'astro:server:done': async () => {
        await host?.close()
      },
    },
  }
}

async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((e) => e.isFile() && e.name.endsWith('.html')).map((e) => join(e.parentPath, e.name))
}

