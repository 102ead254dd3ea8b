/**
 * Build-only: bundles the browser's live runner (src/client/live.ts, issue 4)
 * with esbuild into one minified classic script for `<script defer>`.
 */
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

/** The entry point of the browser script. */
export const liveScriptEntry: string = fileURLToPath(new URL('../client/live.ts', import.meta.url))

/** Browsers from 2023 on: `??=`, `?.`, `Array.prototype.at`, `AbortController`, `replaceChildren`. */
export const liveScriptTarget = ['chrome111', 'edge111', 'firefox111', 'safari16.4']

let bundled: Promise<string> | undefined

/** The minified script's text; bundled once per process. */
export function liveScript(): Promise<string> {
  bundled ??= build({
    entryPoints: [liveScriptEntry],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: liveScriptTarget,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]!.text)
  return bundled
}
