// What the collector reports of a post's fences before anything runs.
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import { collectSnippets } from '../../src/markdown/collect.js'

function collect(markdown: string) {
  const file = new VFile({ path: 'post.md', value: markdown })
  const { snippets } = collectSnippets(unified().use(remarkParse).parse(file), file, 10_000)
  return { snippets, messages: file.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.reason}`) }
}

describe('collectSnippets', () => {
  it('says where a stdin or output fence belongs, in words', () => {
    expect(collect('```output\n1\n```\n\n```text stdin\n2\n```\n').messages).toEqual([
      '1:1 orphan-fence an output fence must directly follow a run fence; shown as plain code',
      '5:9 orphan-fence a stdin fence must directly follow a run fence; shown as plain code',
    ])
  })

  it('reports every problem of a fence at once, not one per build', () => {
    const { snippets, messages } = collect(
      [
        '```python id=a prepend=b',
        'a = 1',
        '```',
        '',
        '```python id=b prepend=a',
        'b = 1',
        '```',
        '',
        '```python run exit=300 timeout=20000 prepend="missing a" files="nope.py main.py"',
        'print(1)',
        '```',
        '',
        '```python file=main.py',
        'x = 1',
        '```',
      ].join('\n'),
    )
    expect(messages).toEqual([
      expect.stringMatching(/^9:15 invalid-option exit must be /),
      expect.stringMatching(/^9:\d+ missing-reference prepend names "missing", but no fence in this post has id=missing$/),
      expect.stringMatching(/^5:\d+ invalid-option prepend "a" leads back to itself$/),
      expect.stringMatching(/^9:\d+ missing-reference files names "nope\.py", but no fence in this post has file=nope\.py$/),
      expect.stringMatching(/^9:\d+ invalid-option files includes "main\.py", the snippet's own entry file$/),
      expect.stringMatching(/^9:\d+ invalid-option timeout=20000 is above the server's run time limit of 10000 ms/),
    ])
    // Not run, and its block names every one, the first first.
    expect(snippets[0]!.request).toBeUndefined()
    expect(snippets[0]!.errors).toHaveLength(5)
    expect(snippets[0]!.errors[0]).toMatch(/^exit must be /)
  })
})
