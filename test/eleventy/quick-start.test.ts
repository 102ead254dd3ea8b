/**
 * The README's Eleventy quick start, taken from the README, in a project as
 * `npm init -y` makes it (`"type": "commonjs"`) with runnable-blog installed
 * (the compiled package), built by the plain `eleventy` command.
 */
import { spawn } from 'node:child_process'
import { mkdir, readFile, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { childOutput } from '../helpers/child.js'
import { eleventyBin } from '../helpers/eleventy.js'
import { fence, post, repoRoot, useServerAndProjects } from '../helpers/project.js'

const { server: testServer, project } = useServerAndProjects()

/** The README's code block whose first line is `first`. */
async function readmeBlock(first: string): Promise<string> {
  const readme = await readFile(join(repoRoot, 'README.md'), 'utf8')
  const block = [...readme.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]!).find((code) => code.startsWith(first))
  expect(block, first).toBeDefined()
  return block!
}

describe("the README's Eleventy quick start in a CommonJS project (npm init -y)", { timeout: 120_000 }, () => {
  for (const [file, first] of <Array<[string, string]>>[
    ['eleventy.config.mjs', '// eleventy.config.mjs'],
    ['eleventy.config.js', '// eleventy.config.js, CommonJS'],
  ]) {
    it(`builds with the README's ${file}`, async () => {
      const p = await project({
        'package.json': JSON.stringify({ name: 'blog', version: '1.0.0', main: 'index.js', type: 'commonjs', scripts: { test: 'echo' }, license: 'ISC' }, null, 2),
        [file]: await readmeBlock(first),
        'posts/hello.md': post('Hello', fence('bash run', 'echo "quick start"')),
      })
      await mkdir(join(p.dir, 'node_modules/@11ty'), { recursive: true })
      await symlink(repoRoot, join(p.dir, 'node_modules/runnable-blog'))
      await symlink(join(repoRoot, 'node_modules/@11ty/eleventy'), join(p.dir, 'node_modules/@11ty/eleventy'))
      const env = { ...process.env, PISTON_URL: testServer().url, RUNNABLE_FROZEN: '', GITHUB_ACTIONS: '' }
      const run = await childOutput(spawn(process.execPath, [eleventyBin, '--quiet'], { cwd: p.dir, env, stdio: ['ignore', 'pipe', 'pipe'] }))
      expect(run.code, run.stderr).toBe(0)
      expect(run.stderr).toContain('[runnable-blog] 1 snippet: 1 passed')
      expect(await readFile(join(p.dir, '_site/posts/hello/index.html'), 'utf8')).toContain('quick start')
    })
  }
})
