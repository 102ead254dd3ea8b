/**
 * The job folder in program output: the build removes it before caching and
 * the browser before showing a live result, by this one rule, so that a
 * traceback reads `File "main.py"` on the page either way. Ships in the
 * browser's live runner: no Node imports.
 */
import type { ExecuteResponse, Stage } from './types.js'

/** Where Piston runs each job: `/piston/jobs/<uuid>/`. */
export const PISTON_JOB_DIR = /\/piston\/jobs\/[0-9a-f-]{36}\//g

/** Replaces a job's working directory wherever a stage's output names it. */
export function replaceJobDir(response: ExecuteResponse, dir: RegExp | string, replacement: string): ExecuteResponse {
  const clean = (text: string) => (typeof dir === 'string' ? text.replaceAll(dir, replacement) : text.replace(dir, replacement))
  const stage = (s: Stage): Stage => ({ ...s, stdout: clean(s.stdout), stderr: clean(s.stderr), output: clean(s.output) })
  return { ...response, run: stage(response.run), ...(response.compile ? { compile: stage(response.compile) } : {}) }
}
