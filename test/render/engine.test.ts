/**
 * Shiki's JavaScript regex engine must colour every language we give it
 * exactly as Oniguruma does (see JAVASCRIPT_ENGINE_LANGUAGES): same tokens,
 * same colours and font styles in both themes, on samples of each language
 * and on every fence of this repo's posts and docs.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createHighlighterCore } from 'shiki/core'
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript'
import { createOnigurumaEngine } from 'shiki/engine/oniguruma'
import { type BundledLanguage, bundledLanguages } from 'shiki/langs'
import { bundledThemes } from 'shiki/themes'
import { describe, expect, it } from 'vitest'
import { JAVASCRIPT_ENGINE_LANGUAGES } from '../../src/render/highlight.js'
import { repoRoot } from '../helpers/project.js'

const ALIASES: Record<string, string> = { sh: 'bash', shell: 'bash', shellscript: 'bash', js: 'javascript', ts: 'typescript', yml: 'yaml', console: 'shellsession' }
const canonical = (lang: string) => ALIASES[lang] ?? lang

/** Every fence (language, code) of the Markdown under `paths`. */
function fences(paths: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = []
  for (const path of paths) {
    for (const match of readFileSync(join(repoRoot, path), 'utf8').matchAll(/^```([\w+-]+)[^\n]*\n([\s\S]*?)^```/gm)) out.push([match[1]!.toLowerCase(), match[2]!])
  }
  return out
}
const markdownIn = (dir: string) => readdirSync(join(repoRoot, dir)).filter((name) => name.endsWith('.md')).map((name) => `${dir}/${name}`)

describe("Shiki's JavaScript regex engine", { timeout: 120_000 }, () => {
  it('colours every language it is used for as Oniguruma does', async () => {
    const themes = [bundledThemes['github-light'], bundledThemes['github-dark']]
    const js = await createHighlighterCore({ engine: createJavaScriptRegexEngine(), themes, langs: [] })
    const onig = await createHighlighterCore({ engine: createOnigurumaEngine(import('shiki/wasm')), themes, langs: [] })
    const samples = fences(['test/render/fixtures/engine-samples.md', 'README.md', 'ARCHITECTURE.md', ...markdownIn('content'), ...markdownIn('docs')]).filter(([lang]) => JAVASCRIPT_ENGINE_LANGUAGES.has(lang))
    // Every language of the list has a sample of its own.
    expect(new Set(samples.map(([lang]) => canonical(lang)))).toEqual(new Set([...JAVASCRIPT_ENGINE_LANGUAGES].map(canonical)))
    const options = (lang: string) => ({ lang, themes: { light: 'github-light', dark: 'github-dark' }, tokenizeTimeLimit: 0 })
    const tokens = (highlighter: typeof js, lang: string, code: string) => highlighter.codeToTokensWithThemes(code, options(lang)).map((line) => line.map((t) => [t.content, t.variants]))
    for (const [lang, code] of samples) {
      for (const highlighter of [js, onig]) if (!highlighter.getLoadedLanguages().includes(lang)) await highlighter.loadLanguage(bundledLanguages[lang as BundledLanguage])
      expect(tokens(js, lang, code), `${lang}: ${code.slice(0, 60)}`).toEqual(tokens(onig, lang, code))
    }
    expect(samples.length).toBeGreaterThan(30)
  })
})
