/**
 * An Eleventy site's config file, as text: check reads what it needs of the
 * site's build from it, and never runs it.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'

/** The config files Eleventy looks for, in its order. */
const ELEVENTY_CONFIGS = ['.eleventy.js', 'eleventy.config.js', 'eleventy.config.mjs', 'eleventy.config.cjs']

/** The text of the site's Eleventy config, when it has one where Eleventy looks. */
export function eleventyConfigText(root: string): string | undefined {
  const config = ELEVENTY_CONFIGS.map((name) => resolve(root, name)).find((path) => existsSync(path))
  return config && readFileSync(config, 'utf8')
}

/**
 * The paired shortcodes the config's `addBundle("css")` calls declare
 * (Eleventy's bundle plugin, as eleventy-base-blog uses it): they collect
 * CSS or JavaScript for the page, and run no snippet.
 */
export const bundleNames = (config: string | undefined): string[] => [...(config ?? '').matchAll(/\baddBundle\(\s*(["'`])([\w-]+)\1/g)].map((m) => m[2]!)
