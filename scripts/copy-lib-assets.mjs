// After tsc: the files lib/ needs that are not TypeScript output. The browser
// scripts are bundled here, once, with the options a build would use
// (lib/adapters/live-script.js reads them back), so a site's build need not
// run esbuild. They are bundled from src/, so the shipped text is the one
// the tests measure and run (test/cli/start-up.test.ts checks it).
import { cpSync, writeFileSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import { build } from 'esbuild'
import { copyScriptOptions, liveScriptOptions, prebundledPath } from '../lib/adapters/live-script.js'

cpSync('src/render/styles.css', 'lib/render/styles.css')
cpSync('src/client', 'lib/client', { recursive: true })
for (const options of [liveScriptOptions, copyScriptOptions]) {
  const fromSource = { ...options, entryPoints: options.entryPoints.map((entry) => resolve('src/client', basename(entry))) }
  writeFileSync(prebundledPath(options), (await build(fromSource)).outputFiles[0].text)
}
