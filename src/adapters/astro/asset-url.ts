/** Astro's `build.assetsPrefix`: one URL, or one per file extension with a `fallback`. */
export type AssetsPrefix = string | ({ fallback: string } & Record<string, string>) | undefined

/**
 * Where a page links the file at `path` (under the output folder), as Astro
 * links its own assets: under `build.assetsPrefix` when set (the one for the
 * file's extension, else `fallback`; without `base`, as Astro does), else
 * from `base` (`/myblog/_runnable/…`). Not relative to the page: a host may
 * serve a page at `/myblog/blog/post` as well as `/myblog/blog/post/` (with
 * `trailingSlash: 'never'`, only there), and `../` differs between the two.
 */
export function astroAssetUrl(path: string, base: string, assetsPrefix?: AssetsPrefix): string {
  const prefix = typeof assetsPrefix === 'object' ? assetsPrefix[path.slice(path.lastIndexOf('.') + 1)] || assetsPrefix.fallback : assetsPrefix
  if (prefix) return `${prefix.replace(/\/+$/, '')}/${path}`
  return `/${base.replace(/^\/+|\/+$/g, '')}/${path}`.replace(/^\/\//, '/')
}
