/**
 * `runnable-blog/eleventy`: one `eleventyConfig.addPlugin(runnable, options)`
 * and an Eleventy site's Markdown runs its `run` fences, as the CLI's `check`
 * does, with the same cache.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { createRunnableHost, type HashedAsset, printReport } from '../host.js'
import type { RunnableOptions } from '../options.js'
import { pageLines } from './source.js'
import { checkAssetsDir } from '../assets-dir.js'
import { injectAssets } from '../inject.js'
import { callPlaces, scanSite } from './call-places.js'
import { fillShortcodeBlocks, holdBlock, releaseBlocks, shortcodeCall } from './shortcode.js'

/** Options of the Eleventy plugin: every host option, and the paired shortcode's name. */
export interface RunnableEleventyOptions extends RunnableOptions {
  /**
   * Name of the paired shortcode that runs its body like a fence:
   * `{% codeRunner "Title", "python" %}…{% endcodeRunner %}`, or `false` for
   * none. Default `codeRunner`.
   */
  shortcode?: string | false
  /** Folder under the output folder for the stylesheet and script. Default `assets`. */
  assetsDir?: string
}

/** The part of Eleventy's configuration API the plugin uses. */
interface EleventyConfig {
  pathPrefix?: string
  watchIgnores?: Set<string>
  setLibrary(extension: 'md', library: { render(text: string, data: EleventyData): Promise<string> }): void
  addPairedShortcode(name: string, callback: (this: { page: EleventyPage }, content: string, ...args: unknown[]) => Promise<string>): void
  addTransform(name: string, callback: (this: { page: EleventyPage }, content: string) => string): void
  on(event: 'eleventy.before' | 'eleventy.after', callback: (event: EleventyEvent) => Promise<void>): void
  on(event: 'eleventy.contentMap', callback: (map: { inputPathToUrl: Record<string, unknown> }) => void): void
}
interface EleventyPage {
  inputPath: string
  /** The template languages it is rendered with, in order: `liquid,md`. */
  templateSyntax?: string
  outputPath?: string | false
  url?: string | false
}
interface EleventyData {
  page: EleventyPage
}
interface EleventyEvent {
  directories: { input: string; output: string; includes?: string; layouts?: string }
  runMode: 'build' | 'watch' | 'serve'
}

export default function runnableBlog(eleventyConfig: EleventyConfig, options: RunnableEleventyOptions = {}): void {
  const { shortcode = 'codeRunner', assetsDir: assetsOption = 'assets', ...hostOptions } = options
  const assetsDir = checkAssetsDir(assetsOption)
  if (shortcode !== false && (typeof shortcode !== 'string' || !/^[A-Za-z_][\w-]*$/.test(shortcode)))
    throw new TypeError(`runnable-blog: shortcode must be a tag name or false, got ${String(shortcode)}`)
  const host = createRunnableHost(hostOptions, { ownOptions: ['shortcode', 'assetsDir'] })
  // A new result in the cache is not an edit: with the cache inside the input folder (Eleventy's default input is the project), each one would rebuild the site again.
  eleventyConfig.watchIgnores?.add(`${relative(process.cwd(), host.settings.cacheDir).split(sep).join('/')}/**`)
  let assets: { css: HashedAsset; copy: HashedAsset; js?: HashedAsset } | undefined
  let used = { css: false, js: false, copy: false }

  eleventyConfig.setLibrary('md', {
    render: async (text, data) => fillShortcodeBlocks(await host.render(text, { path: data.page.inputPath, ...pageLines(data.page.inputPath, text) })),
  })

  // Where each shortcode call of this build is written (see call-places.ts), and the blocks held for Markdown pages.
  let place: ReturnType<typeof callPlaces> | undefined
  let held: number[] = []
  if (shortcode) {
    eleventyConfig.addPairedShortcode(shortcode, async function (content, ...args) {
      const at = place?.(this.page, args, content) ?? { path: this.page.inputPath }
      const html = await host.renderCall(shortcodeCall(args, content, at))
      // Markdown would take the block's HTML apart: a Markdown page gets a placeholder, filled in once it is rendered.
      if (!/(^|,)md$/.test(this.page.templateSyntax ?? (/\.(md|markdown)$/i.test(this.page.inputPath) ? 'md' : ''))) return html
      const { placeholder, id } = holdBlock(html)
      held.push(id)
      return placeholder
    })
  }

  eleventyConfig.on('eleventy.before', async ({ directories }) => {
    host.startBuild()
    if (shortcode) {
      releaseBlocks(held)
      held = []
      const shared = [directories.includes, directories.layouts].filter((dir): dir is string => Boolean(dir)).map((dir) => resolve(dir))
      place = callPlaces(await scanSite([resolve(directories.input), ...shared], shortcode, [resolve(directories.output)]), shared)
    }
    // Every snippet of the site is queued now, not when Eleventy gets to its page.
    await host.prefetchFolder(directories.input, [directories.output])
    await host.underway()
    used = { css: false, js: false, copy: false }
    assets ??= { css: await host.stylesheet(), copy: await host.copyScript(), js: host.settings.liveEndpoint ? await host.liveScript() : undefined }
  })

  // Eleventy renders its pages one at a time in the order of this map (by
  // collection, not by file): the queued jobs follow it, so that each page's
  // results are in when Eleventy gets to it.
  eleventyConfig.on('eleventy.contentMap', ({ inputPathToUrl }) => host.prefetchOrder(Object.keys(inputPathToUrl)))

  eleventyConfig.addTransform('runnable-blog', function (output) {
    // A layout's calls in a Markdown page's layout are not rendered as Markdown: their placeholders are filled here.
    const content = fillShortcodeBlocks(output)
    if (!assets || typeof this.page.outputPath !== 'string' || !this.page.outputPath.endsWith('.html')) return content
    const page = injectAssets(content, {
      pageUrl: typeof this.page.url === 'string' ? this.page.url : '/',
      css: `${assetsDir}/${assets.css.name}`,
      copy: `${assetsDir}/${assets.copy.name}`,
      live: assets.js && host.settings.liveEndpoint ? { script: `${assetsDir}/${assets.js.name}`, endpoint: host.settings.liveEndpoint } : undefined,
    })
    used.css ||= page.css
    used.js ||= page.js
    used.copy ||= page.copy
    return page.html
  })

  eleventyConfig.on('eleventy.after', async ({ directories, runMode }) => {
    const written = [used.css && assets?.css, used.js && assets?.js, used.copy && assets?.copy].filter((a): a is HashedAsset => Boolean(a))
    await Promise.all(written.map((a) => writeOut(join(directories.output, assetsDir, a.name), a.text)))
    const failure = await printReport(host.finishBuild())
    if (runMode !== 'build') return // A dev server stays up: the page shows the failure, and the next save tries again.
    await host.close()
    if (failure) throw failure
  })
}

async function writeOut(path: string, text: string) {
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, text)
}
