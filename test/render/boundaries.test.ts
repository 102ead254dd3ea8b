import { readFile } from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { blockStylesheet, stylesheetPath } from '../../src/render/assets.js'
import { DEFAULT_THEMES, loadHighlight } from '../../src/render/highlight.js'
import { fileBlock, snippetBlock } from '../../src/render/to-hast.js'
import { toHtml } from './html.js'
import { response, stage } from './recordings.js'

const SHARED = ['ansi.ts', 'outcome.ts', 'view.ts']
const source = (file: string) => readFile(new URL(`../../src/render/${file}`, import.meta.url), 'utf8')
const withoutComments = (code: string) => code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')

describe('files shared with the browser', () => {
  it.each(SHARED)('%s imports only shared files and execution types', async (file) => {
    const code = withoutComments(await source(file))
    const imports = [...code.matchAll(/^\s*(?:import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)]
    for (const [statement, typeOnly, specifier] of imports) {
      if (specifier === '../execution/types.js') expect(typeOnly, statement).toBeDefined()
      else expect(SHARED.map((f) => `./${f.replace(/\.ts$/, '.js')}`), statement).toContain(specifier)
    }
    expect(code).not.toMatch(/^\s*import\s+'/m) // side-effect imports
    expect(code).not.toMatch(/\bimport\s*\(|\brequire\s*\(/)
    expect(code).not.toMatch(/\b(process|Buffer|document|window)\b/)
  })
})

describe('styles.css', async () => {
  const css = await readFile(stylesheetPath, 'utf8')

  it('defines every ANSI class', () => {
    const colours = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white']
    const names = [...colours, ...colours.map((c) => `bright-${c}`)]
    const classes = [
      ...['bold', 'dim', 'italic', 'underline', 'inverse', 'actions'].map((c) => `rb-${c}`),
      ...names.flatMap((c) => [`rb-fg-${c}`, `rb-bg-${c}`]),
    ]
    for (const name of classes) expect(css, name).toMatch(new RegExp(`\\.${name}\\{`))
  })

  it('names every class a block can carry', async () => {
    const highlight = await loadHighlight(DEFAULT_THEMES, ['python'])
    const compile = stage({ stderr: 'error\n', output: 'error\n', code: 1 })
    const blocks = [
      snippetBlock({ title: 't', language: 'c', code: '', stdin: 'x', response: response({ ...compile }, { compile }), runtime: 'gcc', live: { request: { language: 'c', version: '*', files: [] }, setup: 0, name: 't', limits: { timeoutMs: 3000, compileTimeoutMs: 10000, outputMaxSize: 1024 }, accepted: ['ok'] } }),
      snippetBlock({ language: 'python', code: '', response: response({ stdout: 'x', stderr: 'y', code: 1 }) }),
      snippetBlock({ language: 'python', code: '', response: response({}) }),
      snippetBlock({ language: 'python', code: '', notice: { kind: 'not-run', text: 'not run' } }),
      snippetBlock({ language: 'python', code: 'a\nb', highlight, marked: new Set([2]), fileName: 'a.py', response: response({ stdout: 'x\n'.repeat(30) }) }),
      fileBlock({ language: 'python', code: 'x = 1', fileName: 'u.py', highlight }),
    ]
    const classes = new Set(blocks.flatMap((b) => [...toHtml(b).matchAll(/class="([^"]*)"/g)].flatMap((m) => m[1]!.split(' '))))
    // A modifier counts when its base and its name share a line (`rb-status--exit|signal|...`)
    // or the base is documented as open (`rb-notice--KIND`).
    const lines = css.split('\n')
    const named = (name: string) => {
      const [base, modifier] = name.split('--')
      if (modifier === undefined) return css.includes(name)
      return lines.some((line) => line.includes(`${base}--KIND`) || (line.includes(`${base}--`) && line.includes(modifier)))
    }
    // Token colours come from the themes' stylesheet.
    for (const name of classes) if (!/^(language-|rb-[ld]\d+$)/.test(name)) expect(named(name), name).toBe(true)
  })

  it('is the default themes\' with no argument, as remarkRunnable colours by default, and says what is wrong with a theme', async () => {
    expect(await blockStylesheet()).toBe(await blockStylesheet(DEFAULT_THEMES))
    expect(await blockStylesheet()).toMatch(/\.rb-l\d+\{/)
    await expect(blockStylesheet({ light: 'nope-theme' })).rejects.toThrow('highlight: light must name one of Shiki\'s themes (e.g. github-light), got "nope-theme"')
    await expect(blockStylesheet('github-light' as never)).rejects.toThrow('highlight: must be { light, dark } or false')
  })

  it('stays within 3 KB gzipped, with the default themes\' colours', async () => {
    const size = gzipSync(await blockStylesheet(DEFAULT_THEMES)).length
    console.log(`block stylesheet: ${size} bytes gzipped`)
    expect(size).toBeLessThanOrEqual(3072)
  })
})
