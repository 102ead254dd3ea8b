// After tsc: the Eleventy plugin as one ES module in lib/bundle/ (with a
// chunk for each part it loads lazily), which package.json's
// `runnable-blog/eleventy` points to. Eleventy imports the plugin on every
// build; loaded file by file, our ~60 modules and the small packages below
// took ~90 ms of a 1.4 s warm build, bundled ~45 (BENCHMARKS.md, issue 25).
//
// Inlined: the small packages every build loads. Everything else stays an
// import (Shiki, undici, remark, esbuild...): large, loaded lazily, or shared
// with the site.
//
// Paths: a module that finds a file from its own URL sits two folders below
// the package root (src/<area>/x.ts, lib/<area>/x.js) and names the file
// from there (`../render/styles.css`, `../../package.json`); lib/bundle/ is
// two folders down too, so bundled code finds the same files.
import { readFileSync } from 'node:fs'
import { build } from 'esbuild'

const inline = new Set(['vfile', 'unist-util-visit', 'p-limit', 'semver'])
const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies })
  .filter((name) => !inline.has(name))
  .flatMap((name) => [name, `${name}/*`])

await build({
  entryPoints: { eleventy: 'lib/adapters/eleventy/index.js' },
  outdir: 'lib/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  logLevel: 'warning',
})
