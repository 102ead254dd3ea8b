/**
 * The snippets of the Eleventy plugin's `codeRunner` shortcode, as the CLI
 * sees them without building the site: every call written in a template,
 * Markdown page or partial under the content folder and the project's
 * `_includes` and `_layouts` (Eleventy's default folders for them), each at
 * its place; and the places whose snippets only a build can know.
 */
import { join, relative, sep } from 'node:path'
import { scanSite } from '../adapters/eleventy/call-places.js'
import type { TemplateCall } from '../adapters/eleventy/template-calls.js'
import { bundleNames, eleventyConfigText } from './eleventy-config.js'

/** The Eleventy plugin's default shortcode name (a renamed one shows as a paired tag check does not know). */
const SHORTCODE = 'codeRunner'

export interface TemplateSnippets {
  /** Calls whose program is known from the text: arguments and body hold no template syntax. */
  calls: Array<{ path: string; call: TemplateCall }>
  /** `path:line: reason` for each place whose snippets only the site's build can know. */
  hidden: string[]
}

export async function templateSnippets(root: string, contentDirs: readonly string[]): Promise<TemplateSnippets> {
  const site = await scanSite([...contentDirs.map((dir) => join(root, dir)), join(root, '_includes'), join(root, '_layouts')], SHORTCODE, {
    knownPairs: bundleNames(eleventyConfigText(root)),
  })
  const display = (path: string) => relative(root, path).split(sep).join('/')
  const found: TemplateSnippets = { calls: [], hidden: site.scripted.map((path) => `${display(path)}: a JavaScript template that names ${SHORTCODE}`) }
  for (const [file, scan] of site.scans) {
    const path = display(file)
    for (const call of scan.calls) {
      if (!call.templated) found.calls.push({ path, call })
      else found.hidden.push(`${path}:${call.line}: a ${SHORTCODE} call whose arguments or body hold template syntax (its program is known only when the site is built)`)
    }
    for (const pair of scan.unknownPairs) found.hidden.push(`${path}:${pair.line}: a paired tag {% ${pair.name} %} that check does not know (a renamed or wrapping shortcode may run snippets there)`)
  }
  return found
}
