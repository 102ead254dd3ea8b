/** Build-only: where the snippet stylesheet lives, for the site build to copy. */
import { fileURLToPath } from 'node:url'

/** Absolute path of `styles.css`, which sits beside this module. */
export const stylesheetPath: string = fileURLToPath(new URL('./styles.css', import.meta.url))
