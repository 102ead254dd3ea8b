import type { ExecuteResponse, Stage } from '../../src/execution/types.js'
import recordings from './fixtures/piston-3.1.1.json' with { type: 'json' }

/**
 * Response bodies from test/piston-server/fixtures/piston-recordings (a real Piston 3.1.1),
 * with the recording's measured `elapsed_ms` and the request's `run_timeout`.
 */
export type RecordingName = keyof typeof recordings

export function recording(name: RecordingName): { response: ExecuteResponse; runTimeout?: number } {
  const { response, ...rest } = structuredClone(recordings[name]) as { response: ExecuteResponse; run_timeout?: number }
  return rest.run_timeout === undefined ? { response } : { response, runTimeout: rest.run_timeout }
}

/** The same response as an older client saw it: no timing at all. */
export function withoutTiming(response: ExecuteResponse): ExecuteResponse {
  const { elapsed_ms: _, ...rest } = response
  return rest
}

export function stage(fields: Partial<Stage>): Stage {
  return { stdout: '', stderr: '', output: '', code: 0, signal: null, ...fields }
}

export function response(run: Partial<Stage>, extra: Partial<ExecuteResponse> = {}): ExecuteResponse {
  return { language: 'python', version: '3.11.2', run: stage(run), ...extra }
}
