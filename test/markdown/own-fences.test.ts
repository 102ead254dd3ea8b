/**
 * `mayHaveOwnFences` lets a host skip a page's tree (on Sätteri, skip building
 * it in JavaScript at all): a page it says no to must be one whose parse gives
 * `collectSnippets` nothing, no fence and no message, or a snippet would
 * silently not run.
 */
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import { generateCorpus, generateRealCorpus } from '../../bench/corpus.js'
import { collectSnippets, mayHaveOwnFences } from '../../src/markdown/collect.js'

/** What the plugin takes from a page's parse: its fences and its messages. */
function collected(markdown: string) {
  const file = new VFile({ value: markdown })
  const { places } = collectSnippets(unified().use(remarkParse).use(remarkGfm).parse(file), file)
  return { places: places.length, messages: file.messages.length }
}

const NOTHING = { places: 0, messages: 0 }

// Opening lines, each with a body and its closing marker, alone on a page and inside a list and a quote.
const openings = [
  ['```python run', true],
  ['~~~python run', true],
  ['```python\trun', true],
  ['````  python   hidden', true],
  ['```output', true],
  ['~~~ output', true],
  ['```&#111;utput', true], // an entity that decodes to `output`
  ['```python run\\', true],
  ['```py\u00a0x run', true], // no-break space is part of the language, not a separator
  ['```python title="x"', true], // words after the language: read, then left to others
  ['```python', false],
  ['```', false],
  ['``` python', false],
  ['```python\u00a0run', false], // one word to Markdown: the language is `python\u00a0run`
  ['```stdout', false],
  ['```js{1,3}', false],
] as const

const page = (opening: string, prefix = '') => {
  const marker = opening.match(/^[`~]+/)![0]
  return ['Intro.', '', `${prefix}${opening}`, `${prefix}print(1)`, `${prefix}${marker}`, '', 'After.'].join('\n')
}

describe('mayHaveOwnFences', () => {
  it('says no only to pages whose parse gives the plugin nothing', () => {
    for (const [opening, expected] of openings) {
      for (const prefix of ['', '- ', '> ', '1. ']) {
        const markdown = page(opening, prefix)
        expect(mayHaveOwnFences(markdown), JSON.stringify(markdown)).toBe(expected)
        if (!expected) expect(collected(markdown), JSON.stringify(markdown)).toEqual(NOTHING)
      }
    }
    // An orphan output fence is the plugin's too: it warns about it.
    expect(collected(page('```output'))).toEqual({ places: 1, messages: 1 })
  })

  it('says yes to every bench post with a run fence, and no is right for every post it says no to', () => {
    const posts = [...generateCorpus({ seed: 3, posts: 8, snippets: 40 }).files.values(), ...generateRealCorpus({ seed: 3, posts: 12, snippets: 20, clusterPosts: 2, hugeFenceLines: 50 }).files.values()]
    let no = 0
    for (const post of posts) {
      if (mayHaveOwnFences(post)) expect(post).toMatch(/run|output|hidden|skip|id=|file=/)
      else {
        no++
        expect(collected(post)).toEqual(NOTHING)
      }
    }
    expect(no).toBeGreaterThan(0)
  })
})
