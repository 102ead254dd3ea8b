/**
 * `runnable-blog/eleventy`: one `eleventyConfig.addPlugin(runnable, options)`
 * and an Eleventy site's Markdown runs its `run` fences, as the CLI's `check`
 * does, with the same cache.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { createRunnableHost, type HashedAsset, printReport } from '../host.js'
import type { RunnableOptions } from '../options.js'
import { checkAssetsDir } from '../assets-dir.js'
import { hasBlocks, injectAssets, isHtmlDocument } from '../inject.js'
import { callPlaces, scanSite } from './call-places.js'
import { fillShortcodeBlocks, holdBlock, releaseBlocks, shortcodeCall } from './shortcode.js'
import { type MarkdownIt, runnableMarkdownIt } from './markdown-it.js'

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
  /**
   * Name of a CSS bundle of the site (`eleventyConfig.addBundle('css')`, as
   * eleventy-base-blog has) that gets the blocks' stylesheet on each Markdown
   * page that shows a block, in place of the linked file: the layout's
   * `{% getBundle %}` or `{% getBundleFileUrl %}` serves it. Default none.
   */
  bundle?: string
}

/** The part of Eleventy's configuration API the plugin uses. */
interface EleventyConfig {
  pathPrefix?: string
  watchIgnores?: Set<string>
  /** The bundles of `addBundle` (Eleventy 3), by name. */
  getBundleManagers?(): Record<string, { addToPage(pageUrl: string, code: string[]): void }>
  amendLibrary(extension: 'md', callback: (md: MarkdownIt) => void): void
  addPairedShortcode(name: string, callback: (this: { page: EleventyPage }, content: string, ...args: unknown[]) => Promise<string>): void
  addTransform(name: string, callback: (this: { page: EleventyPage }, content: string) => string): void
  addPreprocessor(name: string, extensions: string, callback: (data: { page: EleventyPage }, content: string) => undefined): void
  on(event: 'eleventy.before' | 'eleventy.after', callback: (event: EleventyEvent) => Promise<void>): void
  on(event: 'eleventy.contentMap', callback: (map: { inputPathToUrl: Record<string, unknown[]> }) => Promise<void>): void
}
interface EleventyPage {
  inputPath: string
  /** The template languages it is rendered with, in order: `liquid,md`. */
  templateSyntax?: string
  outputPath?: string | false
  url?: string | false
}
interface EleventyEvent {
  directories: { input: string; output: string; includes?: string; layouts?: string }
  runMode: 'build' | 'watch' | 'serve'
}

export default function runnableBlog(eleventyConfig: EleventyConfig, options: RunnableEleventyOptions = {}): void {
  const { shortcode = 'codeRunner', assetsDir: assetsOption = 'assets', bundle, ...hostOptions } = options
  const assetsDir = checkAssetsDir(assetsOption)
  for (const key of ['remarkPlugins', 'rehypePlugins'] as const) {
    if (hostOptions[key] !== undefined) throw new TypeError(`runnable-blog: ${key} is for unified pipelines; an Eleventy site keeps its markdown-it, whose plugins go in eleventyConfig.amendLibrary('md', (md) => md.use(plugin))`)
  }
  if (shortcode !== false && (typeof shortcode !== 'string' || !/^[A-Za-z_][\w-]*$/.test(shortcode)))
    throw new TypeError(`runnable-blog: shortcode must be a tag name or false, got ${String(shortcode)}`)
  if (bundle !== undefined && (typeof bundle !== 'string' || !bundle)) throw new TypeError(`runnable-blog: bundle must be the name of a CSS bundle (addBundle), got ${String(bundle)}`)
  const host = createRunnableHost(hostOptions, { ownOptions: ['shortcode', 'assetsDir', 'bundle'] })
  // A new result in the cache is not an edit: with the cache inside the input folder (Eleventy's default input is the project), each one would rebuild the site again.
  eleventyConfig.watchIgnores?.add(`${relative(process.cwd(), host.settings.cacheDir).split(sep).join('/')}/**`)
  let assets: { css: HashedAsset; copy: HashedAsset; js?: HashedAsset } | undefined
  let used = { css: false, js: false, copy: false }

  // The site's own markdown-it (its options, highlighter and plugins) renders every page; only run fences come to us.
  eleventyConfig.amendLibrary('md', (md) =>
    runnableMarkdownIt(md, host, (html, { page }) => {
      const filled = fillShortcodeBlocks(html)
      if (bundle && assets && typeof page?.url === 'string' && hasBlocks(filled)) bundleNamed(bundle).addToPage(page.url, [assets.css.text])
      return filled
    }),
  )
  const bundleNamed = (name: string) => {
    const manager = eleventyConfig.getBundleManagers?.()[name]
    if (!manager) throw new TypeError(`runnable-blog: bundle "${name}" is not a bundle of this site (eleventyConfig.addBundle('${name}'))`)
    return manager
  }

  // Where each shortcode call of this build is written (see call-places.ts): the site's templates are read on the first call, and a site without calls never reads them. And the blocks held for Markdown pages.
  let places: (() => Promise<ReturnType<typeof callPlaces>>) | undefined
  let held: number[] = []
  if (shortcode) {
    eleventyConfig.addPairedShortcode(shortcode, async function (content, ...args) {
      const at = (await places?.())?.(this.page, args, content) ?? { path: this.page.inputPath }
      const html = await host.renderCall(shortcodeCall(args, content, at))
      // Markdown would take the block's HTML apart: a Markdown page gets a placeholder, filled in once it is rendered.
      if (!/(^|,)md$/.test(this.page.templateSyntax ?? (/\.(md|markdown)$/i.test(this.page.inputPath) ? 'md' : ''))) return html
      const { placeholder, id } = holdBlock(html)
      held.push(id)
      return placeholder
    })
  }

  eleventyConfig.on('eleventy.before', async ({ directories }) => {
    if (bundle) bundleNamed(bundle)
    host.startBuild()
    if (shortcode) {
      releaseBlocks(held)
      held = []
      const shared = [directories.includes, directories.layouts].filter((dir): dir is string => Boolean(dir)).map((dir) => resolve(dir))
      let scanned: Promise<ReturnType<typeof callPlaces>> | undefined
      places = () => (scanned ??= scanSite([resolve(directories.input), ...shared], shortcode, { exclude: [resolve(directories.output)] }).then((calls) => callPlaces(calls, shared)))
    }
    used = { css: false, js: false, copy: false }
    assets ??= { css: await host.stylesheet(), copy: await host.copyScript(), js: host.settings.liveEndpoint ? await host.liveScript() : undefined }
  })

  // Each Markdown page's snippets, found as Eleventy reads the page (no second read of the file); a job starts once Eleventy says it renders the page.
  eleventyConfig.addPreprocessor('runnable-blog', 'md', (data, content) => {
    host.prescanPage(data.page.inputPath, content)
    return undefined
  })

  // The pages Eleventy will render, in its order (by collection, not by file),
  // before it renders the first: a file a preprocessor left out (a draft) has
  // no page in it and costs no engine call, and each page's results are in
  // when Eleventy gets to it.
  eleventyConfig.on('eleventy.contentMap', async ({ inputPathToUrl }) => {
    host.prefetchPages(Object.entries(inputPathToUrl).flatMap(([path, urls]) => (urls.length ? [path] : [])))
    await host.underway()
  })

  eleventyConfig.addTransform('runnable-blog', function (output) {
    // A layout's calls in a Markdown page's layout are not rendered as Markdown: their placeholders are filled here.
    const content = fillShortcodeBlocks(output)
    if (!assets || typeof this.page.outputPath !== 'string' || !this.page.outputPath.endsWith('.html') || !hasBlocks(content)) return content
    // A fragment (a feed entry through renderTransforms) gets no script: the blocks' buttons, baked hidden for it, would only be dead ones where a reader drops `hidden`.
    if (!isHtmlDocument(content)) return content.replace(BAKED_BUTTON, '')
    const page = injectAssets(content, {
      pageUrl: typeof this.page.url === 'string' ? this.page.url : '/',
      css: bundle ? undefined : `${assetsDir}/${assets.css.name}`,
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

/** A button a block bakes hidden for its script to show (src/render/to-hast.ts). */
const BAKED_BUTTON = /<button type="button" hidden[^>]*>[^<]*<\/button>/g

async function writeOut(path: string, text: string) {
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, text)
}
