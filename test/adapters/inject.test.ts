import { describe, expect, it } from 'vitest'
import { injectAssets } from '../../src/adapters/inject.js'

const assets = { pageUrl: '/posts/bare/', css: '_runnable/runnable.0123456789.css', copy: '_runnable/runnable-copy.0123456789.js' }
const block = '<figure class="rb-snippet" data-rb-status="ok"><div class="rb-codebox"><button type="button" hidden class="rb-copy">Copy</button></div></figure>'
const tags = '<link rel="stylesheet" href="../../_runnable/runnable.0123456789.css"><script src="../../_runnable/runnable-copy.0123456789.js" defer></script>'

describe('injectAssets', () => {
  it('links the assets before </head>, relative to the page', () => {
    expect(injectAssets(`<!DOCTYPE html><html><head><title>T</title></head><body>${block}</body></html>`, assets).html).toBe(
      `<!DOCTYPE html><html><head><title>T</title>${tags}</head><body>${block}</body></html>`,
    )
  })

  it('in a page without a head (an Astro Markdown page without a layout), after the doctype, so the page stays in standards mode', () => {
    expect(injectAssets(`<!DOCTYPE html><meta charset="utf-8">${block}`, assets).html).toBe(`<!DOCTYPE html>${tags}<meta charset="utf-8">${block}`)
    expect(injectAssets(block, assets).html).toBe(tags + block)
  })

  it('gives a page with a live block the page script alone: the live runner is only named, for the page script to load on first use', () => {
    const live = block.replace('data-rb-status="ok"', 'data-rb-status="ok" data-rb-program="{}"')
    const page = injectAssets(`<!DOCTYPE html><html><head></head><body>${live}</body></html>`, { ...assets, live: { script: '_runnable/runnable-live.0123456789.js', endpoint: 'https://api.example/v2' } })
    expect(page).toEqual({
      html: `<!DOCTYPE html><html><head><link rel="stylesheet" href="../../_runnable/runnable.0123456789.css"><meta name="runnable-endpoint" content="https://api.example/v2" data-runner="../../_runnable/runnable-live.0123456789.js"><script src="../../_runnable/runnable-copy.0123456789.js" defer></script></head><body>${live}</body></html>`,
      css: true,
      js: true,
      copy: true,
    })
    expect(page.html.match(/<script/g)).toHaveLength(1)
  })

  it('without a page URL (Astro, whose links are absolute from its base), links the asset paths as they are', () => {
    const absolute = { css: '/myblog/_runnable/runnable.0123456789.css', copy: '/myblog/_runnable/runnable-copy.0123456789.js' }
    expect(injectAssets(`<!DOCTYPE html><html><head></head><body>${block}</body></html>`, absolute).html).toBe(
      `<!DOCTYPE html><html><head><link rel="stylesheet" href="/myblog/_runnable/runnable.0123456789.css"><script src="/myblog/_runnable/runnable-copy.0123456789.js" defer></script></head><body>${block}</body></html>`,
    )
  })

  it('leaves a page without blocks as it is', () => {
    expect(injectAssets('<!DOCTYPE html><p>prose</p>', assets)).toEqual({ html: '<!DOCTYPE html><p>prose</p>', css: false, js: false, copy: false })
  })
})
