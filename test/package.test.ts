/**
 * The published package as a stranger gets it: `npm pack`, installed into an
 * empty folder (from npm's cache where it can, else the registry: a fresh
 * machine's cache has the tarballs `npm ci` fetched but not the packuments;
 * no file of this repo), then a one-post Eleventy site built with it, the
 * CLI run, and the exports resolved.
 */
import { execFile } from 'node:child_process'
import { createServer } from 'node:net'
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, posix } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, expect, it } from 'vitest'
import { repoRoot } from './helpers/project.js'

const run = promisify(execFile)
const dirs: string[] = []
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))))

it('installs from its tarball into an empty folder and builds a one-post Eleventy site', async () => {
  const work = await mkdtemp(join(tmpdir(), 'rb-package-'))
  dirs.push(work)
  // lib/ is compiled once for the suite (test/global-setup.ts), so packing need not compile again.
  const { stdout } = await run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', work], { cwd: repoRoot })
  const tarball = join(work, stdout.trim().split('\n').at(-1)!)
  const { version: eleventy } = JSON.parse(await readFile(join(repoRoot, 'node_modules/@11ty/eleventy/package.json'), 'utf8')) as { version: string }

  const site = join(work, 'site')
  await mkdir(join(site, 'content'), { recursive: true })
  await writeFile(join(site, 'package.json'), JSON.stringify({ name: 'my-blog', private: true, type: 'module' }))
  await writeFile(
    join(site, 'eleventy.config.js'),
    `import runnable from 'runnable-blog/eleventy'\nexport default (config) => { config.addPlugin(runnable, { engine: 'local' }); return { dir: { input: 'content' } } }\n`,
  )
  // A page gets the assets in its <head>: a layout gives it one (a fragment, as feed entries are, gets none).
  await mkdir(join(site, 'content/_includes'), { recursive: true })
  await writeFile(join(site, 'content/_includes/base.njk'), '<!doctype html><html><head><title>{{ title }}</title></head><body>{{ content | safe }}</body></html>\n')
  await writeFile(join(site, 'content/post.md'), '---\ntitle: Hi\nlayout: base.njk\n---\n\n```bash run\necho "packaged <ok>"\n```\n')
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, `@11ty/eleventy@${eleventy}`], { cwd: site })

  const build = await run(process.execPath, ['node_modules/@11ty/eleventy/cmd.cjs'], { cwd: site })
  expect(build.stderr).toContain('[runnable-blog] 1 snippet: 1 passed, 0 failed, 0 skipped; 1 program: 0 cached, 1 ran')
  const page = await readFile(join(site, '_site/post/index.html'), 'utf8')
  expect(page).toMatch(/<figure class="rb-snippet" data-rb-status="ok">.*packaged &#x3C;ok>\n<\/pre>/s)
  expect((await readdir(join(site, '_site/assets'))).sort()).toEqual([expect.stringMatching(/^runnable-copy\.[0-9a-f]{10}\.js$/), expect.stringMatching(/^runnable\.[0-9a-f]{10}\.css$/)])
  expect(await readdir(join(site, 'cache'))).toHaveLength(1)

  // The other entry points: the core, the stylesheet, the live runner's script, the CLI.
  const script = `
    import { readFileSync } from 'node:fs'
    import { fileURLToPath } from 'node:url'
    import { copyScript, liveScript, remarkRunnable, createRunnableHost } from 'runnable-blog'
    const css = readFileSync(fileURLToPath(import.meta.resolve('runnable-blog/styles.css')), 'utf8')
    // The page script finds the endpoint; the live runner it loads on first use reads each block's program.
    console.log(typeof remarkRunnable, typeof createRunnableHost, css.includes('.rb-snippet'), (await copyScript()).includes('runnable-endpoint'), (await liveScript()).includes('rbProgram'))
  `
  const entry = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: site })
  expect(entry.stdout.trim()).toBe('function function true true true')
  const check = await run(process.execPath, ['node_modules/.bin/runnable-blog', 'check', '--frozen'], { cwd: site })
  expect(check.stderr).toContain('1 program: 1 cached')

  // The entry points share one copy of the core: an engine from `runnable-blog` given to the Eleventy plugin
  // throws the EngineError the plugin knows, so an unreachable engine fails the jobs waiting behind the one
  // that found it at once (2 connections per job that tries: here the first of each window of prefetched
  // jobs, 4 in all). A copy of the class per entry made every job wait out its own retries: 8.
  let connections = 0
  const refusing = createServer((socket) => (connections++, socket.destroy())).listen(0, '127.0.0.1')
  await new Promise((resolve) => refusing.once('listening', resolve))
  const { port } = refusing.address() as { port: number }
  await mkdir(join(site, 'down'), { recursive: true })
  await writeFile(join(site, 'down/post.md'), ['a', 'b', 'c', 'd'].map((x) => `\`\`\`bash run\necho ${x}\n\`\`\`\n`).join('\n'))
  await writeFile(
    join(site, 'down.config.js'),
    `import { createPistonEngine } from 'runnable-blog'\nimport runnable from 'runnable-blog/eleventy'\nexport default (config) => { config.addPlugin(runnable, { engine: createPistonEngine({ url: 'http://127.0.0.1:${port}/api/v2', retries: 1, retryBaseMs: 1, retryMaxMs: 1 }), concurrency: 1, cacheDir: 'down-cache' }) }\n`,
  )
  const down = await run(process.execPath, ['node_modules/@11ty/eleventy/cmd.cjs', '--config=down.config.js', '--input=down', '--output=_down'], { cwd: site }).catch((error: { stderr: string }) => error)
  refusing.close()
  expect(down.stderr).toContain('cannot reach Piston')
  expect(connections).toBeLessThanOrEqual(4)
}, 180_000)

it('ships what its documents link to: every relative link and image of every Markdown file in the tarball resolves inside it', async () => {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot })
  const files = new Set((JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path))
  const documents = [...files].filter((path) => path.endsWith('.md'))
  expect(documents).toEqual(expect.arrayContaining(['README.md', 'deploy/README.md']))
  const dead: string[] = []
  for (const document of documents) {
    const text = await readFile(join(repoRoot, document), 'utf8')
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^([a-z]+:|#)/i.test(target!)) continue
      const path = posix.normalize(posix.join(posix.dirname(document), target!.replace(/#.*$/, '')))
      if (!files.has(path)) dead.push(`${document}: ${target}`)
    }
  }
  expect(dead).toEqual([])
})
