// What a blog that highlights its code without runnable-blog would add to its
// unified pipeline: @shikijs/rehype with the same themes as runnable-blog's
// default pair, every fence highlighted, languages loaded as fences need them
// (as runnable-blog loads them), unknown ones as plain text. Plain JavaScript:
// the whole-process baselines (plain-check.js, eleventy/plain.config.js) use it.
import rehypeShiki from '@shikijs/rehype'

export const shikiBaseline = [rehypeShiki, { themes: { light: 'github-light', dark: 'github-dark' }, langs: [], lazy: true, fallbackLanguage: 'text', defaultLanguage: 'text' }]
