// Links in the sample blog's HTML, rewritten by a scan of its tags: never the
// text between them (a program's output printed on a page may well read
// `href="/about"`), never a comment, script or style, and with no tree to
// build (a post with 30,000 unclosed tags is just a long line).

/** A start tag at the scan's position: its name, then its attributes, quoted or not. */
const START_TAG = /<([a-zA-Z][^\s/<>]*)((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>=`]+))?)*)\s*\/?>/y
const ATTRIBUTE = /(\s+)([^\s"'<>/=]+)(?:(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'<>=`]+))?/g
const LINK_ATTRIBUTES = new Set(['href', 'src'])
/** Elements whose content is not markup. */
const RAW_TEXT = new Set(['script', 'style'])

/**
 * `html` with every root-relative `href` and `src` of its tags (`/about`, not
 * `//host/x`) starting with `base` instead of `/`: `../` for a page one
 * level down, `https://example.com/blog/` for a feed.
 */
export function rebaseLinks(html, base) {
  let out = ''
  let copied = 0
  let at = html.indexOf('<')
  while (at >= 0) {
    let next = at + 1
    if (html.startsWith('<!--', at)) {
      const end = html.indexOf('-->', at + 4)
      next = end < 0 ? html.length : end + 3
    } else {
      START_TAG.lastIndex = at
      const tag = START_TAG.exec(html)
      if (tag) {
        const [whole, name, attributes] = tag
        out += html.slice(copied, at) + '<' + name + rebaseAttributes(attributes, base) + whole.slice(1 + name.length + attributes.length)
        copied = next = at + whole.length
        if (RAW_TEXT.has(name.toLowerCase())) {
          const close = new RegExp(`</${name}[\\s/>]`, 'ig')
          close.lastIndex = next
          next = close.exec(html)?.index ?? html.length
        }
      }
    }
    at = html.indexOf('<', next)
  }
  return out + html.slice(copied)
}

function rebaseAttributes(attributes, base) {
  return attributes.replace(ATTRIBUTE, (whole, space, name, equals, value) => {
    if (!value || !LINK_ATTRIBUTES.has(name.toLowerCase())) return whole
    const quote = /^["']/.test(value) ? value[0] : ''
    const url = quote ? value.slice(1, -1) : value
    if (!url.startsWith('/') || url.startsWith('//')) return whole
    return `${space}${name}${equals}${quote}${base}${url.slice(1)}${quote}`
  })
}
