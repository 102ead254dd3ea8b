/** Small measuring tools: timings with CPU time, medians, child processes. */
import { fork, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { childOutput } from '../test/helpers/child.js'
import type { ServerChildConfig } from './server-child.js'

setFlagsFromString('--expose-gc')
const gcFunction = runInNewContext('gc') as () => void

/** Full GC before a timed run, so one run does not pay for another's garbage. */
export function gc(): void {
  gcFunction()
  gcFunction()
}

export interface Sample {
  /** Wall-clock ms. */
  wall: number
  /** User + system CPU ms of this process (all threads: GC, libuv pool). */
  cpu: number
  /** Peak RSS, MB, of the child process a variant ran, when it says (`{ rssMb }`). */
  rssMb?: number
}

export async function time<T>(fn: () => Promise<T>): Promise<Sample & { value: T }> {
  gc()
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const value = await fn()
  const wall = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  return { wall, cpu: (cpu.user + cpu.system) / 1000, value }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export interface Compared {
  /** Median sample per variant. */
  medians: Record<string, Sample>
  /** Every timed sample per variant, in round order. */
  samples: Record<string, Sample[]>
  /** Median over iterations of variant/baseline, measured back to back. */
  ratios: Record<string, Sample>
  iterations: number
}

/**
 * Runs every variant once per iteration, in a rotating order, after `warmup`
 * untimed rounds; ratios are taken within an iteration (paired), then the
 * median over iterations, which cancels most of a noisy machine's drift.
 */
export async function compare(variants: Record<string, () => Promise<unknown>>, baseline: string, iterations: number, warmup = 2): Promise<Compared> {
  const names = Object.keys(variants)
  const samples: Record<string, Sample[]> = Object.fromEntries(names.map((n) => [n, []]))
  for (let i = 0; i < warmup + iterations; i++) {
    const order = names.map((_, k) => names[(k + i) % names.length]!)
    for (const name of order) {
      const s = await time(variants[name]!)
      const rssMb = (s.value as { rssMb?: unknown } | undefined)?.rssMb
      if (i >= warmup) samples[name]!.push({ wall: s.wall, cpu: s.cpu, ...(typeof rssMb === 'number' && { rssMb }) })
    }
  }
  const medians: Record<string, Sample> = {}
  for (const name of names) medians[name] = { wall: median(samples[name]!.map((s) => s.wall)), cpu: median(samples[name]!.map((s) => s.cpu)) }
  const compared: Compared = { medians, samples, ratios: {}, iterations }
  for (const name of names) compared.ratios[name] = pairRatio(compared, name, baseline)
  return compared
}

/** Median over rounds of `variant`/`baseline`, both measured in the same rounds of `c`. */
export function pairRatio(c: Compared, variant: string, baseline: string): Sample {
  const base = c.samples[baseline]!
  const own = c.samples[variant]!
  return { wall: median(own.map((s, i) => s.wall / base[i]!.wall)), cpu: median(own.map((s, i) => s.cpu / base[i]!.cpu)) }
}

/** Lowest–highest of the per-round ratios of `variant` (default `build`) to `plain`. */
export function range(c: Compared, key: keyof Sample, variant = 'build', baseline = 'plain'): string {
  const ratios = c.samples[variant]!.map((s, i) => (s[key] ?? NaN) / (c.samples[baseline]![i]![key] ?? NaN))
  return `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×`
}

/** Job time as the server measured it (see server-child.ts). */
export interface ServerJobs {
  count: number
  busyMs: number
  firstStart: number
  lastEnd: number
}

export interface ServerStats {
  executions: number
  requests: number
  executeRequests: number
  jobs: ServerJobs
}

export interface ServerChild {
  url: string
  stats(): Promise<ServerStats>
  reset(): Promise<void>
  close(): Promise<void>
}

const tsxImport = ['--import', 'tsx']

/** Starts bench/server-child.ts and waits for its URL. */
export async function startServerChild(config: ServerChildConfig): Promise<ServerChild> {
  const child = fork(new URL('./server-child.ts', import.meta.url), [], {
    execArgv: tsxImport,
    env: { ...process.env, BENCH_SERVER: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const next = <T>() =>
    new Promise<T>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`server child exited with ${code}`))
      child.once('exit', onExit)
      child.once('message', (m) => {
        child.off('exit', onExit)
        resolve(m as T)
      })
    })
  const { url } = await next<{ url: string }>()
  return {
    url,
    stats() {
      const reply = next<ServerStats>()
      child.send('stats')
      return reply
    },
    async reset() {
      const reply = next()
      child.send('reset')
      await reply
    },
    close() {
      return new Promise((resolve) => {
        child.once('exit', () => resolve())
        child.send('close')
      })
    },
  }
}

export interface ChildRun<T> {
  result: T
  /** Peak RSS reported by the child itself (process.resourceUsage), MB. */
  maxRssMb: number
  /** Peak RSS from /usr/bin/time -v, MB, when it is installed. */
  timeMaxRssMb?: number
}

/**
 * Runs a bench script in a fresh node (through /usr/bin/time -v if present);
 * it prints one JSON line last. A `.js` script runs without the TypeScript loader.
 */
export function runChild<T>(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ChildRun<T>> {
  const node = [...(script.endsWith('.ts') ? tsxImport : []), new URL(script, import.meta.url).pathname, ...args]
  const useTime = existsSync('/usr/bin/time')
  const child = useTime
    ? spawn('/usr/bin/time', ['-v', process.execPath, ...node], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, node, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  return childOutput(child).then(({ code, stdout, stderr }) => {
    if (code !== 0) throw new Error(`${script} exited with ${code}\n${stderr}`)
    const last = stdout.trim().split('\n').at(-1) ?? '{}'
    const parsed = JSON.parse(last) as { result: T; maxRssKb: number }
    const kb = stderr.match(/Maximum resident set size \(kbytes\): (\d+)/)?.[1]
    return { result: parsed.result, maxRssMb: parsed.maxRssKb / 1024, ...(kb ? { timeMaxRssMb: Number(kb) / 1024 } : {}) }
  })
}
