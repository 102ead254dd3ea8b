import { describe, expect, it } from 'vitest'
import { draftLine } from '../../src/markdown/front-matter.js'

describe('draftLine', () => {
  it('is the line of a top-level draft: true in the front matter', () => {
    expect(draftLine('---\ntitle: WIP\ndescription: Not yet\ndraft: true\n---\n\nBody.\n')).toBe(4)
    expect(draftLine('---\r\ntitle: WIP\r\ndraft: True  # until it runs\r\n---\r\n')).toBe(3)
  })

  it('is undefined for anything else', () => {
    expect(draftLine('---\ntitle: Done\ndraft: false\n---\n')).toBeUndefined()
    expect(draftLine('---\ntitle: Done\nsidebar:\n  draft: true\n---\n')).toBeUndefined()
    expect(draftLine('---\ntitle: Done\n---\n\ndraft: true\n')).toBeUndefined()
    expect(draftLine('draft: true\n')).toBeUndefined()
  })
})
