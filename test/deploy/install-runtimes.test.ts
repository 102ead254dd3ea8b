/**
 * deploy/install-runtimes.ts against the Piston-protocol test server: the
 * plan (pure), the CLI in-process, and the real command with stdin, --from
 * and exit codes.
 */
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPistonServer } from '../piston-server/index.js'
import type { PistonServer } from '../piston-server/index.js'
import { main, planInstalls } from '../../deploy/install-runtimes.js'
import type { PistonPackage } from '../../deploy/install-runtimes.js'
import { REPO_ROOT } from './caddy.js'
import { childOutput } from '../helpers/child.js'

async function runMain(argv: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), stdin: async () => stdin })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

/** Runs a package.json script as the docs do: `npm run -s <script> -- <args>`, so stdout is the script's alone. */
async function runCommand(args: string[], stdin?: string, script = 'install-runtimes'): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn('npm', ['run', '-s', script, '--', ...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] })
  child.stdin.end(stdin ?? '')
  const { code, stdout, stderr } = await childOutput(child)
  return { code, out: stdout, err: stderr }
}

const pkg = (language: string, language_version: string, installed: boolean): PistonPackage => ({ language, language_version, installed })

describe('planInstalls', () => {
  const packages = [
    pkg('python', '3.9.4', false),
    pkg('python', '3.10.0', true),
    pkg('python', '3.12.0', false),
    pkg('node', '18.15.0', false),
    pkg('node', '20.11.1', false),
    pkg('gcc', '10.2.0', false),
    pkg('bash', '5.2.0', true),
    pkg('sqlite3', '3.36.0', false),
  ]

  it('skips what is installed, installs the newest match, maps aliases and providers, dedupes', () => {
    const plan = planInstalls(
      [
        { language: 'python', version: '*' },
        { language: 'py', version: '3.12.x' },
        { language: 'sh', version: '*' },
        { language: 'js', version: '18' },
        { language: 'javascript', version: '*' },
        { language: 'c', version: '*' },
        { language: 'c++', version: '10.2.0' },
        { language: 'sql', version: '*' },
        { language: 'sqlite3', version: '*' },
      ],
      packages,
    )
    expect(plan.map((p) => (p.kind === 'missing' ? `${p.kind} ${p.wanted.language}` : `${p.kind} ${p.package} ${p.version}`))).toEqual([
      'present python 3.10.0',
      'install python 3.12.0',
      'present bash 5.2.0',
      'install node 18.15.0',
      // "*" is satisfied by the 18.15.0 just planned: no second version.
      'present node 18.15.0',
      'install gcc 10.2.0',
      'present gcc 10.2.0',
      // "sql *" and "sqlite3 *" are the same request, planned once.
      'install sqlite3 3.36.0',
    ])
  })

  it('explains what cannot be had', () => {
    const plan = planInstalls(
      [
        { language: 'cobol', version: '*' },
        { language: 'python', version: '2.x' },
        { language: 'python', version: 'newest please' },
      ],
      packages,
    )
    expect(plan.every((p) => p.kind === 'missing')).toBe(true)
    const reasons = plan.map((p) => (p.kind === 'missing' ? p.reason : ''))
    expect(reasons[0]).toContain('no package for "cobol"')
    expect(reasons[1]).toContain('no python version matches "2.x"')
    expect(reasons[1]).toContain('3.12.0, 3.10.0, 3.9.4')
    expect(reasons[2]).toContain('not a version or SemVer selector')
  })
})

describe('install-runtimes against the Piston test server', () => {
  let piston: PistonServer
  let pythonVersion: string
  let dir: string

  beforeAll(async () => {
    piston = await startPistonServer()
    const runtimes = (await (await fetch(`${piston.url}/runtimes`)).json()) as Array<{ language: string; version: string }>
    pythonVersion = runtimes.find((r) => r.language === 'python')!.version
    dir = await mkdtemp(join(tmpdir(), 'install-runtimes-'))
  })

  afterAll(async () => {
    await piston?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  const posts = () => piston.requests.filter((r) => r.method === 'POST' && r.path === '/api/v2/packages')

  it('does nothing when every runtime is installed', async () => {
    const before = posts().length
    const result = await runMain(
      ['--piston-url', piston.url],
      JSON.stringify([
        { language: 'python', version: '*' },
        { language: 'py', version: '3' },
        { language: 'bash', version: '*' },
      ]),
    )
    expect(result.err).toBe('')
    expect(result.code).toBe(0)
    expect(result.out).toContain(`python ${pythonVersion} already installed`)
    expect(result.out).toContain('bash')
    expect(posts().length).toBe(before)
  })

  it('installs the newest matching version through POST /packages', async () => {
    // The test server lists every runtime as installed; this once, it lists
    // two python versions as available instead.
    piston.inject({
      type: 'status',
      status: 200,
      body: JSON.stringify([pkg('python', '3.0.1', false), pkg('python', pythonVersion, false), pkg('bash', '5.2.15', true)]),
    })
    const before = posts().length
    const result = await runMain(['--piston-url', `${piston.url}/`], JSON.stringify([{ language: 'python', version: '3.x' }]))
    expect(result.err).toBe('')
    expect(result.code).toBe(0)
    expect(result.out).toContain(`installed python ${pythonVersion}`)
    const sent = posts().slice(before)
    expect(sent).toHaveLength(1)
    expect(sent[0]!.body).toEqual({ language: 'python', version: pythonVersion })
    expect(String(sent[0]!.headers['content-type'])).toMatch(/^application\/json/)
  })

  it('changes nothing with --dry-run', async () => {
    piston.inject({ type: 'status', status: 200, body: JSON.stringify([pkg('python', pythonVersion, false)]) })
    const before = posts().length
    const result = await runMain(['--piston-url', piston.url, '--dry-run'], JSON.stringify([{ language: 'python', version: '*' }]))
    expect(result.code).toBe(0)
    expect(result.out).toContain(`would install python *: python ${pythonVersion}`)
    expect(posts().length).toBe(before)
  })

  it('reports a refused install and exits non-zero', async () => {
    piston.inject({ type: 'status', status: 200, body: JSON.stringify([pkg('node', '99.0.0', false)]) })
    const result = await runMain(['--piston-url', piston.url], JSON.stringify([{ language: 'javascript', version: '*' }]))
    expect(result.code).toBe(1)
    expect(result.err).toContain('failed    node 99.0.0: HTTP 404: Requested package node-99.0.0 does not exist')
  })

  it('reports languages and versions Piston does not offer, and exits non-zero', async () => {
    const result = await runMain(
      ['--piston-url', piston.url],
      JSON.stringify([
        { language: 'cobol', version: '*' },
        { language: 'python', version: '2.x' },
        { language: 'bash', version: '*' },
      ]),
    )
    expect(result.code).toBe(1)
    expect(result.err).toContain('missing   cobol *')
    expect(result.err).toContain('missing   python 2.x')
    expect(result.out).toContain('already installed')
  })

  it('says so when Piston answers the listing with an error (e.g. the public proxy)', async () => {
    piston.inject({ type: 'status', status: 403, body: '403 Forbidden' })
    const result = await runMain(['--piston-url', piston.url], '[{"language":"python","version":"*"}]')
    expect(result.code).toBe(2)
    expect(result.err).toContain('answered 403')
    expect(result.err).toContain('private Piston URL')
  })

  it('rejects bad input and bad options with exit code 2', async () => {
    expect((await runMain(['--piston-url', piston.url], 'not json')).code).toBe(2)
    expect((await runMain(['--piston-url', piston.url], '{"language":"python"}')).err).toContain('JSON array')
    expect((await runMain(['--piston-url', piston.url], '[{"version":"*"}]')).err).toContain('input[0].language')
    expect((await runMain(['--nope'])).code).toBe(2)
    expect((await runMain(['--piston-url', 'not a url'], '[]')).code).toBe(2)
  })

  it('runs as a command: reads stdin or --from, and exits with the right code', async () => {
    const fromStdin = await runCommand(['--piston-url', piston.url], JSON.stringify([{ language: 'python', version: '*' }]))
    expect(fromStdin.err).toBe('')
    expect(fromStdin.out).toContain('already installed')
    expect(fromStdin.code).toBe(0)

    const file = join(dir, 'runtimes.json')
    await writeFile(file, JSON.stringify([{ language: 'cobol', version: '*' }]))
    const fromFile = await runCommand(['--piston-url', piston.url, '--from', file])
    expect(fromFile.code).toBe(1)
    expect(fromFile.err).toContain('cobol')
  }, 60_000)

  it("takes the build's own list: runtimes --json piped into the installer", async () => {
    const content = join(dir, 'content')
    await mkdir(content, { recursive: true })
    await writeFile(
      join(content, 'post.md'),
      ['---', 'title: t', 'date: 2026-01-01', '---', '', '```python run', 'print(1)', '```', '', '```sh run', 'echo hi', '```', ''].join('\n'),
    )
    const listed = await runCommand(['--json', '--content', relative(REPO_ROOT, content)], undefined, 'runtimes')
    expect(listed.err).toBe('')
    expect(listed.code).toBe(0)
    const result = await runCommand(['--piston-url', piston.url, '--dry-run'], listed.out)
    expect(result.err).toBe('')
    expect(result.code).toBe(0)
    expect(result.out).toContain(`python ${pythonVersion} already installed`)
    expect(result.out).toMatch(/sh \*: bash \S+ already installed/)
  }, 60_000)

  it('exits 2 when Piston cannot be reached', async () => {
    const unreachable = await runMain(['--piston-url', 'http://127.0.0.1:9/api/v2'], '[]')
    expect(unreachable.code).toBe(2)
    expect(unreachable.err).toContain('cannot reach Piston')
  })
})
