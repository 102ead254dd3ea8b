export default function (c) {
  if (process.env.NOOP_T) c.addTransform('x', function (content) { return content })
  if (process.env.NOOP_A) c.amendLibrary('md', (md) => { const r = md.render; md.render = (src, env) => r.call(md, src, env) })
  if (process.env.NOOP_P) c.addPairedShortcode('codeRunner', async (c) => c)
  if (process.env.NOOP_S) c.addPairedShortcode('codeRunner', (c) => c)
}
