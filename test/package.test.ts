import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import { repoRoot } from './helpers/project.js'

const run = promisify(execFile)

it('compiles to lib/ and works as a package in a plain unified pipeline', async () => {
  await run('npm', ['run', 'compile'], { cwd: repoRoot })
  // Self-reference by package name: what another project's import resolves.
  const script = `
    import { unified } from 'unified'
    import remarkParse from 'remark-parse'
    import remarkRehype from 'remark-rehype'
    import rehypeStringify from 'rehype-stringify'
    import { mkdtempSync } from 'node:fs'
    import { tmpdir } from 'node:os'
    import { join } from 'node:path'
    import { remarkRunnable, createLocalEngine } from 'runnable-blog'
    const engine = createLocalEngine()
    const file = await unified().use(remarkParse)
      .use(remarkRunnable, { engine, cacheDir: mkdtempSync(join(tmpdir(), 'rb-pkg-')) })
      .use(remarkRehype).use(rehypeStringify)
      .process('\`\`\`bash run\\necho packaged\\n\`\`\`\\n')
    await engine.close()
    console.log(String(file))
  `
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot })
  expect(stdout).toMatch(/<figure class="rb-snippet" data-rb-status="ok">.*packaged\n<\/pre>/s)

  // The command an installed package puts on PATH: a script with a shebang that runs the compiled CLI.
  const { bin } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> }
  const command = join(repoRoot, bin['runnable-blog']!)
  expect((await readFile(command, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true)
  const help = await run(process.execPath, [command, '--help'], { cwd: repoRoot })
  expect(help.stdout).toMatch(/^Usage: runnable-blog \[build\|check\|runtimes\]/)
}, 60_000)
