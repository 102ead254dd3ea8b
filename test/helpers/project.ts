import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { type PistonServer, startPistonServer } from '../piston-server/index.js'
import { type ChildOutput, childOutput } from './child.js'

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

/** A throwaway project folder with the given files (path → text). */
export async function makeProject(files: Record<string, string>): Promise<{ dir: string; write(path: string, text: string): Promise<void>; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'rb-project-'))
  const write = async (path: string, text: string) => {
    await mkdir(dirname(join(dir, path)), { recursive: true })
    await writeFile(join(dir, path), text)
  }
  for (const [path, text] of Object.entries(files)) await write(path, text)
  return { dir, write, remove: () => rm(dir, { recursive: true, force: true }) }
}

export type CliRun = ChildOutput

const quietEnv = { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', PISTON_URL: '', PISTON_TOKEN: '', RUNNABLE_LIVE_ENDPOINT: '' }

/** Runs the CLI's `main` in this process (fast), capturing what it prints. */
export async function runMain(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CliRun> {
  const { main } = await import('../../src/cli/main.js')
  let stdout = ''
  let stderr = ''
  const log = console.log
  const error = console.error
  console.log = (...parts: unknown[]) => void (stdout += parts.join(' ') + '\n')
  console.error = (...parts: unknown[]) => void (stderr += parts.join(' ') + '\n')
  try {
    const code = await main(args, { ...process.env, ...quietEnv, ...options.env }, options.cwd)
    return { code, stdout, stderr }
  } finally {
    console.log = log
    console.error = error
  }
}

/** tsx's loader by absolute URL: `--import tsx` would be looked up from the project folder, which has no node_modules. */
export const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

/** Runs the real CLI as a separate process, as `npm run build` does (`node --import tsx`). */
export function runCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CliRun> {
  const env = { ...process.env, ...quietEnv, ...options.env }
  const argv = ['--import', tsxLoader, join(repoRoot, 'src/cli/bin.ts'), ...args]
  return childOutput(spawn(process.execPath, argv, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }))
}

/** A post with front matter around the given body. */
export function post(title: string, body: string, date = '2026-01-01'): string {
  return `---\ntitle: ${title}\ndate: ${date}\n---\n\n${body}`
}

/** A fence: fence('python run', 'print(1)'). */
export function fence(info: string, code: string): string {
  return '```' + info + '\n' + code + '\n```\n'
}

/**
 * For a test file: a Piston-protocol server for all its tests, and throwaway
 * projects removed after each test. Call at the top level of the file.
 */
export function useServerAndProjects(): {
  server: () => PistonServer
  project: (files: Record<string, string>) => ReturnType<typeof makeProject>
} {
  let server: PistonServer | undefined
  const cleanups: Array<() => Promise<void>> = []
  beforeAll(async () => {
    server = await startPistonServer()
  })
  afterAll(async () => {
    await server?.close()
  })
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!()
  })
  return {
    server: () => server!,
    async project(files) {
      const p = await makeProject(files)
      cleanups.push(p.remove)
      return p
    },
  }
}
