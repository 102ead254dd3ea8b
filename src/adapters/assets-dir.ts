/**
 * The `assetsDir` option of the host adapters: a folder under the output
 * folder, by a relative path whose every part is a plain name. Never `..`
 * (out of the site) and never a part starting with a dot: static hosts serve
 * dot paths, or hide them (Caddy 404s them, so the pages would lose their
 * stylesheet).
 */
export function checkAssetsDir(assetsDir: unknown): string {
  if (typeof assetsDir !== 'string' || !/^[\w-][\w.-]*(\/[\w-][\w.-]*)*$/.test(assetsDir))
    throw new TypeError(`runnable-blog: assetsDir must be a relative folder whose names do not start with a dot, got ${JSON.stringify(assetsDir)}`)
  return assetsDir
}
