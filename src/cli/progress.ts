import type { RunnerStats } from '../execution/runner.js'

/**
 * A one-line progress display for terminals; silent elsewhere (CI logs get
 * the summary instead of hundreds of carriage returns).
 */
export function progressLine(stream: NodeJS.WriteStream): { update(stats: RunnerStats): void; done(): void } {
  if (!stream.isTTY) return { update() {}, done() {} }
  let last = 0
  let shown = false
  return {
    update(s) {
      const now = Date.now()
      const finished = s.cached + s.ran + s.failed === s.total
      if (!finished && now - last < 80) return
      last = now
      shown = true
      stream.write(`\r\x1b[K[${s.cached + s.ran + s.failed}/${s.total}] ${s.cached} cached, ${s.ran} ran, ${s.failed} failed`)
    },
    done() {
      if (shown) stream.write('\r\x1b[K')
    },
  }
}
