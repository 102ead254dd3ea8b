/**
 * A site set up as the official Eleventy starter (eleventy-base-blog v9)
 * sets it up, in our own words: its plugins from the registry (Prism through
 * @11ty/eleventy-plugin-syntaxhighlight, IdAttributePlugin, the Atom feed,
 * the drafts preprocessor, markdown-it-anchor through amendLibrary), its
 * layouts (base and post), and its CSS in a per-page bundle linked as a
 * file: the starter's text and code rules in the base layout, a Prism theme
 * from node_modules and the diff rules in the post layout.
 */
import { mkdir, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { repoRoot } from './project.js'

/** The starter's own rules for text and code (`css/index.css`), light and dark by the OS. */
export const STARTER_CSS = `:root{--font-family:-apple-system,system-ui,sans-serif;--font-family-monospace:Consolas,Menlo,Monaco,"Liberation Mono","Courier New",monospace;--text-color:#333;--background-color:#fff;--text-color-link:#082840}
@media (prefers-color-scheme: dark){:root{--text-color:#dad8d8;--background-color:#15202b;--text-color-link:#1493fb}}
*{box-sizing:border-box}
html,body{padding:0;margin:0 auto;font-family:var(--font-family);color:var(--text-color);background-color:var(--background-color)}
body{max-width:40em}
main{padding:1rem}
main :first-child{margin-top:0}
p{line-height:1.5}
p:last-child{margin-bottom:0}
pre,code{font-family:var(--font-family-monospace)}
pre,pre[class*="language-"]{margin:.5em 0;line-height:1.375;tab-size:2;hyphens:none;direction:ltr;text-align:left;white-space:pre;word-spacing:normal;word-break:normal}
code{word-break:break-all}
`

/** The starter's `css/prism-diff.css`: the syntax highlight plugin's diff rules. */
export const STARTER_DIFF_CSS = `pre[class*=language-diff-]{--eleventy-code-padding:1.25em;padding-left:var(--eleventy-code-padding);padding-right:var(--eleventy-code-padding)}
.token.deleted{background-color:#8e2e2e;color:inherit}.token.inserted{background-color:#45824b;color:inherit}
.token.prefix.unchanged,.token.prefix.inserted,.token.prefix.deleted{user-select:none;display:inline-flex;align-items:center;justify-content:center;padding-top:2px;padding-bottom:2px}
`

/**
 * The starter's config, with runnable-blog's line (from `plugin`, a module
 * specifier) when RUNNABLE (its options, JSON) is set, and a stand-in
 * shortcode otherwise (so the pages match). Output to $OUT.
 */
const config = (plugin: string) => `import { IdAttributePlugin } from '@11ty/eleventy'
import { feedPlugin } from '@11ty/eleventy-plugin-rss'
import syntaxHighlight from '@11ty/eleventy-plugin-syntaxhighlight'
import markdownItAnchor from 'markdown-it-anchor'
import runnable from ${JSON.stringify(plugin)}

export default function (eleventyConfig) {
  // Drafts stay out of a production build.
  eleventyConfig.addPreprocessor('drafts', '*', (data) => {
    if (data.draft && process.env.ELEVENTY_RUN_MODE === 'build') return false
  })
  eleventyConfig.addBundle('css', { toFileDirectory: 'bundle' })
  eleventyConfig.addPlugin(syntaxHighlight, { preAttributes: { tabindex: 0 } })
  eleventyConfig.addPlugin(feedPlugin, {
    type: 'atom',
    outputPath: '/feed/feed.xml',
    collection: { name: 'posts', limit: 10 },
    metadata: { language: 'en', title: 'A blog', subtitle: 'Notes', base: 'https://example.org/', author: { name: 'Someone' } },
  })
  eleventyConfig.addPlugin(IdAttributePlugin)
  eleventyConfig.amendLibrary('md', (md) => md.use(markdownItAnchor))
  eleventyConfig.addShortcode('buildStamp', () => new Date().toISOString())
  if (process.env.RUNNABLE) eleventyConfig.addPlugin(runnable, JSON.parse(process.env.RUNNABLE))
  else eleventyConfig.addPairedShortcode('codeRunner', () => '<!--block-->')
  return {
    markdownTemplateEngine: 'njk',
    htmlTemplateEngine: 'njk',
    dir: { input: 'content', includes: '../_includes', data: '../_data', output: process.env.OUT },
  }
}
`

// The bundle is linked as a file (the starter's alternative to an inline <style>), so a strict CSP allows it.
const base = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{{ title }}</title>
{%- css %}{% include "css/index.css" %}{% endcss %}
<link rel="stylesheet" href="{% getBundleFileUrl "css" %}">
</head>
<body>
<main>
{{ content | safe }}
</main>
<footer>Built <time>{% buildStamp %}</time></footer>
</body>
</html>
`

// The starter's post layout adds its Prism theme (okaidia; a post may name another in `prism`) and the diff rules.
const postLayout = `---
layout: layouts/base.njk
---
{%- css %}{% include "node_modules/prismjs/themes/" + (prism or "prism-okaidia") + ".css" %}{% endcss %}
{%- css %}{% include "css/prism-diff.css" %}{% endcss %}
<article>
<h1>{{ title }}</h1>
{{ content | safe }}
</article>
`

/** The starter's files around `content` (path under `content/` → text); posts go under `posts/`. */
export function starterSite(plugin: string, content: Record<string, string>): Record<string, string> {
  const files: Record<string, string> = {
    'eleventy.config.js': config(plugin),
    '_includes/css/index.css': STARTER_CSS,
    '_includes/css/prism-diff.css': STARTER_DIFF_CSS,
    '_includes/layouts/base.njk': base,
    '_includes/layouts/post.njk': postLayout,
    'content/posts/posts.11tydata.json': '{ "tags": ["posts"], "layout": "layouts/post.njk" }\n',
    'content/index.njk': '---\nlayout: layouts/base.njk\ntitle: Home\n---\n<ul>{% for p in collections.posts %}<li><a href="{{ p.url }}">{{ p.data.title }}</a></li>{% endfor %}</ul>\n',
  }
  for (const [path, text] of Object.entries(content)) files[`content/${path}`] = text
  return files
}

/** The starter's packages in the site's node_modules, as after `npm install` (links to this repo's), and `runnable-blog` itself. */
export async function linkStarterModules(dir: string): Promise<void> {
  await mkdir(join(dir, 'node_modules/@11ty'), { recursive: true })
  const names = ['@11ty/eleventy', '@11ty/eleventy-plugin-rss', '@11ty/eleventy-plugin-syntaxhighlight', 'markdown-it-anchor', 'prismjs']
  await Promise.all(names.map((name) => symlink(join(repoRoot, 'node_modules', name), join(dir, 'node_modules', name))))
  await symlink(repoRoot, join(dir, 'node_modules/runnable-blog'))
}
