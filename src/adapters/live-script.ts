/**
 * Build-only: bundles the browser's live runner (src/client/live.ts, issue 4)
 * with esbuild into one minified classic script for `<script defer>`.
 */
import { fileURLToPath } from 'node:url'
import type { BuildOptions } from 'esbuild'

/**
 * How the script is bundled. Targets: browsers from spring 2023 on (`??=`,
 * `?.`, `Array.prototype.at`, `replaceChildren`, `AbortController`).
 */
export const liveScriptOptions = {
  entryPoints: [fileURLToPath(new URL('../client/live.ts', import.meta.url))],
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome111', 'edge111', 'firefox111', 'safari16.4'],
  legalComments: 'none',
  write: false,
  logLevel: 'silent',
} satisfies BuildOptions

let bundled: Promise<string> | undefined

/**
 * The minified script's text; bundled once per process. esbuild is loaded
 * only then: a build without a live endpoint does not pay for loading it.
 */
export function liveScript(): Promise<string> {
  bundled ??= import('esbuild').then(({ build }) => build(liveScriptOptions)).then((result) => result.outputFiles[0]!.text)
  return bundled
}
