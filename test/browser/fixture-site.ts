/**
 * What the browser tests of a fixture blog share: Chromium, a Piston test
 * server for the build, another with CORS for live runs behind the API
 * proxy, the fixture project, and real Eleventy builds of it.
 */
import type { Browser, BrowserContext } from 'playwright-core'
import { expect } from 'vitest'
import { runEleventy } from '../helpers/eleventy.js'
import { makeProject } from '../helpers/project.js'
import { startPistonServer, type PistonServer } from '../piston-server/index.js'
import { type ApiProxy, launchChromium, startApiProxy } from './helpers.js'

export interface FixtureSite {
  browser: Browser
  buildServer: PistonServer
  liveServer: PistonServer
  proxy: ApiProxy
  project: Awaited<ReturnType<typeof makeProject>>
  /** Builds into `out` (with `endpoint` as the live endpoint), expecting success; returns what Eleventy printed. */
  build(out: string, endpoint?: string): Promise<string>
}

export async function startFixtureSite(files: Record<string, string>): Promise<FixtureSite> {
  const [browser, buildServer, liveServer, project] = await Promise.all([launchChromium(), startPistonServer(), startPistonServer({ cors: true }), makeProject(files)])
  const proxy = await startApiProxy(liveServer.origin)
  const build = async (out: string, endpoint?: string) => {
    const run = await runEleventy(project.dir, [`--output=${out}`], { PISTON_URL: buildServer.url, ...(endpoint && { RUNNABLE_LIVE_ENDPOINT: endpoint }) })
    expect(run.code, run.stderr).toBe(0)
    return run.stdout + run.stderr
  }
  return { browser, buildServer, liveServer, proxy, project, build }
}

/** Holds back requests for `glob` in `context` until the returned function is called (to measure a page before a script attaches). */
export async function holdRequests(context: BrowserContext, glob: string): Promise<() => void> {
  let release!: () => void
  const held = new Promise<void>((resolve) => (release = resolve))
  await context.route(glob, async (route) => {
    await held
    await route.continue()
  })
  return release
}
