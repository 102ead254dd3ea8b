import { createHighlighterCore } from 'shiki/core'
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript'
import { createOnigurumaEngine } from 'shiki/engine/oniguruma'
import { bundledLanguages } from 'shiki/langs'
import { bundledThemes } from 'shiki/themes'
import { readFileSync, readdirSync } from 'node:fs'
const themes = [bundledThemes['github-light'], bundledThemes['github-dark']]
let js = await createHighlighterCore({ engine: createJavaScriptRegexEngine(), themes, langs: [] })
const onig = process.argv[3] === 'jsjs' ? await createHighlighterCore({ engine: createJavaScriptRegexEngine(), themes, langs: [] }) : process.argv[3] === 'onigonig' ? await createHighlighterCore({ engine: createOnigurumaEngine(import('shiki/wasm')), themes, langs: [] }) : await createHighlighterCore({ engine: createOnigurumaEngine(import('shiki/wasm')), themes, langs: [] }); const js2 = process.argv[3] === 'onigonig' ? await createHighlighterCore({ engine: createOnigurumaEngine(import('shiki/wasm')), themes, langs: [] }) : null
// snippets: every fenced block of the repo's markdown (content, docs, README, test fixtures)
const files = []
const walk = (d) => { for (const e of readdirSync(d, { withFileTypes: true })) { if (e.name === 'node_modules' || e.name.startsWith('.')) continue; const p = d + '/' + e.name; if (e.isDirectory()) walk(p); else if (p.endsWith('.md') || p.endsWith('.ts')) files.push(p) } }
for (const d of ['content', 'docs', 'test', 'bench']) walk(d)
files.push('README.md', 'ARCHITECTURE.md')
const blocks = []
for (const f of files) { const t = readFileSync(f, 'utf8'); for (const m of t.matchAll(/^```([\w+-]+)[^\n]*\n([\s\S]*?)^```/gm)) blocks.push([m[1], m[2]]) }
for (const f of files.filter(f => f.endsWith('.ts')).slice(0, 40)) blocks.push(['typescript', readFileSync(f, 'utf8')])
if (js2) js = js2
const byLang = {}
let diff = 0, total = 0
for (const [lang0, code] of blocks) {
  const lang = { sqlite3: 'sql', output: 'text', sh: 'bash', js: 'javascript', ts: 'typescript', py: 'python' }[lang0] ?? lang0
  if (!(lang in bundledLanguages)) continue
  for (const h of [js, onig]) if (!h.getLoadedLanguages().includes(lang)) { await h.loadLanguage(bundledLanguages[lang]); if (process.argv[2] === 'warm') h.codeToTokens('warm up\nwarm up', { lang, theme: 'github-light' }) }
  const opts = { lang, themes: { light: 'github-light', dark: 'github-dark' }, tokenizeTimeLimit: 0 }
  const a = JSON.stringify(js.codeToTokensWithThemes(code, opts).map(l => l.map(t => [t.content, t.variants])))
  const b = JSON.stringify(onig.codeToTokensWithThemes(code, opts).map(l => l.map(t => [t.content, t.variants])))
  total++; byLang[lang] = (byLang[lang] ?? 0) + 1
  if (a !== b) { diff++; console.log('DIFF', lang, code.slice(0, 80).replace(/\n/g, '⏎')); const A = JSON.parse(a), B = JSON.parse(b); for (let i = 0; i < A.length; i++) if (JSON.stringify(A[i]) !== JSON.stringify(B[i])) { console.log(' line', i, A[i].map(t=>t[0]).join('')); for (let k = 0; k < Math.max(A[i].length, B[i].length); k++) if (JSON.stringify(A[i][k]) !== JSON.stringify(B[i][k])) { console.log(' js  ', JSON.stringify(A[i][k])); console.log(' onig', JSON.stringify(B[i][k])); break } break } }
}
console.log({ total, diff, byLang })
