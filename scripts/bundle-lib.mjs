// After tsc: the package's entry points bundled into lib/bundle/, which
// package.json's exports point to: the core (`runnable-blog`), the Eleventy
// plugin, the Astro integration and its middleware, with the code they share
// in chunks (one copy of each class, so an `EngineError` from
// `createPistonEngine` is one to the Eleventy plugin too) and a chunk for
// each part loaded lazily. Eleventy imports the plugin on every build;
// loaded file by file, our ~60 modules and the small packages below took
// ~90 ms of a 1.4 s warm build, bundled ~45 (BENCHMARKS.md, issue 25). The
// CLI (lib/cli/bin.js) stays unbundled: it runs in a process of its own.
//
// Inlined: the small packages every build loads. Everything else stays an
// import (Shiki, undici, remark, esbuild, semver...): large, loaded lazily,
// or shared with the site. (semver is loaded only with a job or a fence's
// `version=`, and that check requires it from node_modules: inlined, it
// would be there twice.)
//
// Paths: a module that finds a file from its own URL sits two folders below
// the package root (src/<area>/x.ts, lib/<area>/x.js) and names the file
// from there (`../render/styles.css`, `../../package.json`), or names it by
// the package's own name (`runnable-blog/package.json`); lib/bundle/ is two
// folders down too, so bundled code finds the same files. The Astro
// integration names its middleware `./middleware.js`: beside it in
// lib/adapters/astro/, and the entry of that name here.
import { readFileSync } from 'node:fs'
import { build } from 'esbuild'

const inline = new Set(['vfile', 'unist-util-visit', 'p-limit'])
const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies })
  .filter((name) => !inline.has(name))
  .flatMap((name) => [name, `${name}/*`])

await build({
  entryPoints: { index: 'lib/index.js', eleventy: 'lib/adapters/eleventy/index.js', astro: 'lib/adapters/astro/index.js', middleware: 'lib/adapters/astro/middleware.js' },
  outdir: 'lib/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  logLevel: 'warning',
})
