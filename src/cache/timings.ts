import type { ExecuteResponse, Stage } from '../execution/types.js'

/** Measurements that differ on every run of the same program. */
const TIMINGS = ['wall_time', 'cpu_time', 'memory'] as const

/** A bare SIGKILL from a server without `status`: only its duration tells a timeout from the output cap. */
const needsTiming = (stage: Stage | undefined) => stage?.signal === 'SIGKILL' && stage.status == null

/**
 * A response as it is cached and judged. Timings change on every run, so
 * with them an unchanged snippet run again (`--refresh`) would rewrite its
 * committed entry; they are kept only where they decide how a run ended
 * (`needsTiming`), and such a run is not reproducible anyway.
 */
export function withoutTimings(response: ExecuteResponse): ExecuteResponse {
  if (needsTiming(response.run) || needsTiming(response.compile)) return response
  const { elapsed_ms: _elapsed, ...rest } = response
  const strip = (stage: Stage): Stage => {
    const copy = { ...stage }
    for (const key of TIMINGS) delete copy[key]
    return copy
  }
  return { ...rest, run: strip(response.run), ...(response.compile && { compile: strip(response.compile) }) }
}
