import { describe, expect, it } from 'vitest'
import { withoutTimings } from '../../src/cache/timings.js'
import { recording, response } from '../render/recordings.js'

describe('withoutTimings', () => {
  it('drops what changes on every run of the same program', () => {
    const r = response({ stdout: 'hi\n', status: null, wall_time: 41, cpu_time: 30, memory: 9000 }, { elapsed_ms: 57 })
    expect(withoutTimings(r)).toEqual(response({ stdout: 'hi\n', status: null }))
    const compiled = response({ code: 1, status: 'RE', wall_time: 3 }, { compile: response({ wall_time: 200 }).run, elapsed_ms: 300 })
    expect(withoutTimings(compiled)).toEqual(response({ code: 1, status: 'RE' }, { compile: response({}).run }))
    // A newer server says why it killed: no timing needed.
    expect(withoutTimings(response({ code: null, signal: 'SIGKILL', status: 'TO', wall_time: 3001 }))).toEqual(
      response({ code: null, signal: 'SIGKILL', status: 'TO' }),
    )
  })

  it('keeps the timing of a bare SIGKILL: on Piston 3.1.1 it tells a timeout from the output cap', () => {
    for (const name of ['python-timeout', 'python-output-cap-one-chunk'] as const) {
      const { response: r } = recording(name)
      expect(r.elapsed_ms).toEqual(expect.any(Number))
      expect(withoutTimings(r)).toEqual(r)
    }
  })
})
