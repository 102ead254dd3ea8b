/**
 * The page assets for pages Astro renders as they are asked for: every page
 * of `astro dev`, and on-demand pages (`export const prerender = false`) of a
 * built site. Prerendered pages get them after the build instead, from the
 * files, with the same links. Runs in Astro's server (a built server has no
 * build host): it imports nothing from Node, and gets what it needs as data.
 */
import { injectAssets, type PageAssets } from '../inject.js'

/** What the integration bakes into the middleware it adds. */
export interface MiddlewareAssets extends Omit<PageAssets, 'pageUrl'> {
  /** Every page gets them (`astro dev`), not only those rendered on demand. */
  everyPage: boolean
}

/** The part of Astro's middleware API used here (declared: `astro` is the site's, not ours). */
interface MiddlewareContext {
  isPrerendered: boolean
}

export function runnableMiddleware(assets: MiddlewareAssets) {
  return async function onRequest(context: MiddlewareContext, next: () => Promise<Response>): Promise<Response> {
    const response = await next()
    if (!(assets.everyPage || !context.isPrerendered) || !response.headers.get('content-type')?.startsWith('text/html')) return response
    // The links are absolute (asset-url.ts): the same for every URL the page is served at.
    const injected = injectAssets(await response.text(), assets)
    const headers = new Headers(response.headers)
    headers.delete('content-length')
    return new Response(injected.html, { status: response.status, statusText: response.statusText, headers })
  }
}
