// After tsc: the files lib/ needs that are not TypeScript output. The live
// runner is bundled by esbuild at build time, from its TypeScript source.
import { cpSync } from 'node:fs'

cpSync('src/render/styles.css', 'lib/render/styles.css')
cpSync('src/client', 'lib/client', { recursive: true })
