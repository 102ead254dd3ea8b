/**
 * Where a shortcode call Eleventy makes is written. Eleventy tells a
 * shortcode only the page it renders for, not the file or line of the call
 * (a partial's, a layout's or the page's own), so the site's templates are
 * scanned (template-calls.ts) and a call is matched to the calls written
 * there by its arguments and body. A line is claimed only where it is proved:
 * one written call fits; or several identical ones in one file, none inside a
 * loop, condition or macro, which then run once each in their order. Anything
 * else is placed in a file only, with no line.
 */
import { readFile } from 'node:fs/promises'
import { basename, relative, resolve, sep } from 'node:path'
import { filesUnder } from '../../markdown/content-files.js'
import { scanTemplate, type TemplateCall, type TemplateScan } from './template-calls.js'

/** Templates a scan can read: Liquid and Nunjucks, and the Markdown and HTML they run over first. */
const isScannedTemplate = (name: string) => /\.(md|markdown|njk|liquid|html)$/i.test(name)
/** JavaScript templates, which may call the shortcode with anything. */
const isScriptTemplate = (name: string) => /\.11ty\.[cm]?[jt]sx?$/i.test(name)

export interface CallPlace {
  /** The file the call is written in (the page's when that is not known), relative to the working directory, with `/`. */
  path: string
  /** The written call, when it is proved to be this one. */
  call?: TemplateCall
}

export interface SiteTemplates {
  /** Files with calls, by absolute path. */
  scans: Map<string, TemplateScan>
  /** Some JavaScript template names the shortcode. */
  scripted: string[]
  /** Every name any template includes, imports or extends (`*`: a computed one). */
  references: Set<string>
}

/** Scans every template under `dirs` (skipping `exclude`) for `shortcode`'s calls; `knownPairs` are the site's own paired tags that run no snippet. */
export async function scanSite(dirs: string[], shortcode: string, { exclude = [], knownPairs = [] }: { exclude?: string[]; knownPairs?: string[] } = {}): Promise<SiteTemplates> {
  const site: SiteTemplates = { scans: new Map(), scripted: [], references: new Set() }
  const skip = new Set(exclude)
  const seen = new Set<string>()
  for (const dir of dirs) {
    for (const path of await filesUnder(dir, (name) => isScannedTemplate(name) || isScriptTemplate(name), skip).catch(() => [])) {
      if (seen.has(path)) continue
      seen.add(path)
      const source = await readFile(path, 'utf8').catch(() => '')
      if (isScriptTemplate(path)) {
        if (source.includes(shortcode)) site.scripted.push(path)
        continue
      }
      const scan = scanTemplate(source, shortcode, knownPairs)
      for (const name of scan.references) site.references.add(name)
      if (scan.calls.length || scan.unknownPairs.length) site.scans.set(path, scan)
    }
  }
  return site
}

const stem = (path: string) => basename(path).replace(/\.[^.]*$/, '')

/** The places of one build's calls; `shared` are the folders of partials and layouts (Eleventy's includes and layouts). */
export function callPlaces(site: SiteTemplates, shared: string[], cwd = process.cwd()) {
  const counts = new Map<string, number>()
  const within = (path: string) => shared.some((dir) => !relative(dir, path).startsWith('..'))
  const referenced = (path: string) => site.references.has('*') || [...site.references].some((name) => stem(name) === stem(path))
  // Besides the page itself, a call may come from any partial or layout, or from any other template some tag names.
  const others = [...site.scans.keys()].filter((path) => within(path) || referenced(path))
  const display = (path: string) => relative(cwd, path).split(sep).join('/')

  return function place(page: { inputPath: string; url?: unknown }, args: readonly unknown[], content: string): CallPlace {
    const pagePath = resolve(cwd, page.inputPath)
    const unknown = { path: display(pagePath) }
    if (site.scripted.length || !isScannedTemplate(pagePath)) return unknown
    const files = [pagePath, ...others.filter((path) => path !== pagePath)]
    const matches = files.flatMap((file) => (site.scans.get(file)?.calls ?? []).filter((call) => fits(call, args, content)).map((call) => ({ file, call })))
    const [first] = matches
    if (!first) return unknown
    if (matches.length === 1) return { path: display(first.file), call: first.call }
    const inOneFile = matches.every((m) => m.file === first.file)
    if (!inOneFile || matches.some((m) => m.call.templated || m.call.controlled)) return inOneFile ? { path: display(first.file) } : unknown
    // Identical calls that each run once per rendering of their file, in order (a partial included twice: twice in turn).
    const key = JSON.stringify([page.url, pagePath, first.file, args, content])
    const n = counts.get(key) ?? 0
    counts.set(key, n + 1)
    return { path: display(first.file), call: matches[n % matches.length]!.call }
  }
}

/** Whether the arguments and body Eleventy passed can come from this written call. */
function fits(call: TemplateCall, args: readonly unknown[], content: string): boolean {
  if (!call.bodyMatches(content)) return false
  // No literal at all: the arguments may be split wrong (filters, operators), so any may fit.
  if (call.args.length && call.args.every((a) => !a.literal)) return true
  return call.args.length === args.length && call.args.every((a, i) => !a.literal || a.value === args[i])
}
