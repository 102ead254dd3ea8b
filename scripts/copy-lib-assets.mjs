// After tsc: the files lib/ needs that are not TypeScript output. The browser
// scripts are bundled here, once, with the options a build would use
// (lib/adapters/live-script.js reads them back), so a site's build need not
// run esbuild.
import { cpSync, writeFileSync } from 'node:fs'
import { build } from 'esbuild'
import { copyScriptOptions, liveScriptOptions, prebundledPath } from '../lib/adapters/live-script.js'

cpSync('src/render/styles.css', 'lib/render/styles.css')
cpSync('src/client', 'lib/client', { recursive: true })
for (const options of [liveScriptOptions, copyScriptOptions]) writeFileSync(prebundledPath(options), (await build(options)).outputFiles[0].text)
