/**
 * The server's limits as a build is told them (`limits` in the config file or
 * the host's options, a fence's `timeout=`), checked once for every place
 * they are given.
 */

/**
 * Node's timers hold a signed 32-bit delay: a longer one fires after 1 ms
 * (TimeoutOverflowWarning), which killed every snippet at once.
 */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1

/** Why a wait in milliseconds cannot be used, or undefined. */
export function timeoutProblem(ms: number): string | undefined {
  return ms > MAX_TIMEOUT_MS ? `must be at most ${MAX_TIMEOUT_MS} ms (about 24 days), the longest wait Node's timers can hold` : undefined
}

/**
 * Why one limit (`runTimeout`/`timeoutMs`, `compileTimeout`/`compileTimeoutMs`
 * in ms, `outputMaxSize` in characters) cannot be used, or undefined.
 */
export function limitProblem(key: string, value: unknown): string | undefined {
  if (!Number.isInteger(value) || (value as number) < 1) return 'must be a positive whole number'
  return key === 'outputMaxSize' ? undefined : timeoutProblem(value as number)
}
