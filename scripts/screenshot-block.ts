// The README's screenshots of a block, light and dark: the sample blog's
// dist/ (npm run build first) in Chromium, served as Caddy serves it.
// Built with a live endpoint to show the buttons (loading the page calls nothing):
// RUNNABLE_FROZEN=1 RUNNABLE_LIVE_ENDPOINT=https://run.example.com/api/v2 npm run build
// node --import tsx scripts/screenshot-block.ts
import { launchChromium, serveDirectory } from '../test/browser/helpers.js'

const server = await serveDirectory(`${process.cwd()}/dist`)
const browser = await launchChromium()
try {
  for (const colorScheme of ['light', 'dark'] as const) {
    const page = await browser.newPage({ colorScheme, viewport: { width: 760, height: 900 }, deviceScaleFactor: 1 })
    await page.goto(`${server.origin}/feature-tour/`)
    const block = page.locator('figure.rb-snippet', { has: page.locator('.rb-title', { hasText: 'An expected failure' }) })
    await block.screenshot({ path: `docs/block-${colorScheme}.png` })
    await page.close()
  }
} finally {
  await browser.close()
  await server.close()
}
