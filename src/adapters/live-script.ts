/**
 * Build-only: bundles the browser's scripts with esbuild, each minified into
 * one file: the page script (src/client/page.ts: copy buttons, and the Run,
 * Edit and Reset buttons where a block can run live), a classic script for
 * `<script defer>` on every page with blocks, and the live runner
 * (src/client/live.ts), an ES module the page script imports on first use.
 * The compiled package has them bundled already (`npm run compile`), so a
 * site's build neither loads esbuild nor starts its service.
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { BuildOptions } from 'esbuild'

/**
 * How the script is bundled. Targets: browsers from spring 2023 on (`??=`,
 * `?.`, `Array.prototype.at`, `replaceChildren`, `AbortController`).
 *
 * Every byte counts (test/browser/bundle.test.ts): the page script's IIFE gets no
 * "use strict" (nothing in it behaves differently without), and the
 * properties of the view model (src/render/view.ts), the ANSI segments and
 * the outcome, which only the bundle's own code makes and reads, get short
 * names. Never list here a property of a DOM object, of an options object
 * a browser API reads, or of the server's JSON: those must keep their names.
 */
export const liveScriptOptions = {
  entryPoints: [fileURLToPath(new URL('../client/live.ts', import.meta.url))],
  bundle: true,
  minify: true,
  format: 'esm' as 'esm' | 'iife',
  platform: 'browser',
  target: ['chrome111', 'edge111', 'firefox111', 'safari16.4'],
  tsconfigRaw: { compilerOptions: { alwaysStrict: false } },
  mangleProps: /^(tag|children|text|classes|ours|kind|stage|stream|summary|elapsed_ms)$/,
  legalComments: 'none',
  write: false,
  logLevel: 'silent',
} satisfies BuildOptions

/** The page script: the same options, its own entry, a classic script. */
export const copyScriptOptions = { ...liveScriptOptions, format: 'iife', entryPoints: [fileURLToPath(new URL('../client/page.ts', import.meta.url))] } satisfies BuildOptions

/** Where `npm run compile` (scripts/copy-lib-assets.mjs) puts the bundle of `options`: beside its entry, in lib/. */
export const prebundledPath = (options: typeof liveScriptOptions) => options.entryPoints[0]!.replace(/\.ts$/, '.min.js')

const bundled = new Map<BuildOptions, Promise<string>>()
// From the sources (src/ through tsx), esbuild is loaded only when a script is bundled: a build of pages without blocks does not pay for it.
const bundle = (options: typeof liveScriptOptions) => {
  if (!bundled.has(options)) {
    const fresh = () => import('esbuild').then(({ build }) => build(options)).then((result) => result.outputFiles![0]!.text)
    bundled.set(options, readFile(prebundledPath(options), 'utf8').catch(fresh))
  }
  return bundled.get(options)!
}

/** The live runner's minified text (an ES module); bundled once per process. */
export const liveScript = (): Promise<string> => bundle(liveScriptOptions)

/** The page script's minified text: copy buttons, and the live runner's buttons that load it; bundled once per process. */
export const copyScript = (): Promise<string> => bundle(copyScriptOptions)
