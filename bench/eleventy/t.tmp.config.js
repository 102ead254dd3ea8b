const inner = (await import(process.env.INNER)).default
const mem = (l) => { const m = process.memoryUsage(); console.error('T', l, performance.now().toFixed(0), 'rss', (m.rss / 2 ** 20).toFixed(0), 'heap', (m.heapUsed / 2 ** 20).toFixed(0), 'ext', ((m.external + m.arrayBuffers) / 2 ** 20).toFixed(0)) }
export default function (c) {
  c.on('eleventy.before', () => mem('before'))
  c.on('eleventy.contentMap', () => mem('contentMap'))
  c.on('eleventy.after', () => { mem('after'); if (process.env.GCX) { globalThis.gc?.(); mem('after-gc') } })
  return inner(c)
}
