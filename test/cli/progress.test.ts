import { describe, expect, it } from 'vitest'
import { progressLine } from '../../src/cli/progress.js'

// A terminal cannot be summoned in CI; a stream that says it is one can.
function stream(isTTY: boolean) {
  const written: string[] = []
  return { written, stream: { isTTY, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream }
}

describe('progressLine', () => {
  it('redraws one line on a terminal and clears it when done', () => {
    const { written, stream: tty } = stream(true)
    const progress = progressLine(tty)
    progress.update({ total: 3, cached: 1, ran: 1, failed: 0 })
    progress.update({ total: 3, cached: 1, ran: 1, failed: 1 })
    progress.done()
    expect(written[0]).toBe('\r\x1b[K[2/3] 1 cached, 1 ran, 0 failed')
    expect(written.at(-2)).toBe('\r\x1b[K[3/3] 1 cached, 1 ran, 1 failed')
    expect(written.at(-1)).toBe('\r\x1b[K')
  })

  it('prints nothing when not on a terminal (CI gets the summary instead)', () => {
    const { written, stream: pipe } = stream(false)
    const progress = progressLine(pipe)
    progress.update({ total: 1, cached: 0, ran: 1, failed: 0 })
    progress.done()
    expect(written).toEqual([])
  })
})
