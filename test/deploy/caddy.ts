/**
 * Runs the real `caddy` binary with deploy/Caddyfile, configured only through
 * environment variables: http-only sites bound to 127.0.0.1 on free ports,
 * admin API off, state in a temp dir.
 */
import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as delay } from 'node:timers/promises'

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
export const CADDYFILE = join(REPO_ROOT, 'deploy', 'Caddyfile')

/** The installed caddy's version, or a failure telling how to install it. */
export function caddyVersion(): string {
  const probe = spawnSync('caddy', ['version'], { encoding: 'utf8' })
  if (probe.error || probe.status !== 0) {
    throw new Error('caddy is not installed (or not on PATH): run `bash .ci/install-caddy.sh` first')
  }
  return probe.stdout.trim()
}

/** A port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => ok())
  })
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  await new Promise<void>((ok) => server.close(() => ok()))
  return port
}

function accepts(port: number): Promise<boolean> {
  return new Promise((answer) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      answer(true)
    })
    socket.once('error', () => answer(false))
  })
}

export interface CaddyInstance {
  /** http://127.0.0.1:PORT of the API site (https://NAME:PORT with `names`). */
  api: string
  /** http://127.0.0.1:PORT of the blog (https://NAME:PORT with `names`). */
  site: string
  /** The two ports caddy listens on: API and blog, or with `names` HTTP and HTTPS. */
  ports: [number, number]
  /** Everything caddy printed so far. */
  log(): string
  stop(): Promise<void>
}

export interface CaddyOptions {
  /** Extra or overriding environment (PISTON_UPSTREAMS, SITE_ROOT, ...). */
  env: Record<string, string>
  /**
   * Production's shape: the sites under these host names with automatic
   * HTTPS (certificates from Caddy's own local CA) and HTTP->HTTPS
   * redirects, on two free ports standing for 80 and 443, and the
   * Caddyfile's default catch-all. Default: plain HTTP on 127.0.0.1.
   */
  names?: { api: string; site: string }
}

function addressing(options: CaddyOptions, [first, second]: [number, number]): { env: Record<string, string>; api: string; site: string } {
  if (options.names) {
    return {
      env: {
        CADDY_GLOBAL_OPTIONS: `admin off\nhttp_port ${first}\nhttps_port ${second}\nlocal_certs\nskip_install_trust`,
        API_ADDRESS: options.names.api,
        SITE_ADDRESS: options.names.site,
      },
      api: `https://${options.names.api}:${second}`,
      site: `https://${options.names.site}:${second}`,
    }
  }
  return {
    env: {
      // Test-only: no certificates.
      CADDY_GLOBAL_OPTIONS: 'admin off\nauto_https off',
      API_ADDRESS: `http://127.0.0.1:${first}`,
      SITE_ADDRESS: `http://127.0.0.1:${second}`,
      // Any other Host on the same ports, as http:// and https:// are in production.
      OTHER_HOSTS: `http://:${first}, http://:${second}`,
    },
    api: `http://127.0.0.1:${first}`,
    site: `http://127.0.0.1:${second}`,
  }
}

async function startOnce(options: CaddyOptions, state: string): Promise<CaddyInstance | { retry: string }> {
  const ports: [number, number] = [await freePort(), await freePort()]
  const [apiPort, sitePort] = ports
  const addresses = addressing(options, ports)
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: state,
    XDG_DATA_HOME: join(state, 'data'),
    XDG_CONFIG_HOME: join(state, 'config'),
    // Test-only: admin API off (see addressing), listen on loopback only.
    CADDY_BIND: 'bind 127.0.0.1',
    ...addresses.env,
    ...options.env,
  }
  const child: ChildProcess = spawn('caddy', ['run', '--config', CADDYFILE, '--adapter', 'caddyfile'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  let exited = false
  const exit = new Promise<void>((done) =>
    child.once('exit', () => {
      exited = true
      done()
    }),
  )
  child.once('error', (error) => {
    output += `\nspawn error: ${error.message}`
  })

  // Poll the real condition: caddy says its configuration is live (all
  // listeners bound) and both ports accept, or caddy died. A port merely
  // accepting is not enough: another process may have taken it meanwhile.
  for (;;) {
    if (exited) {
      if (/address already in use/.test(output)) return { retry: output }
      throw new Error(`caddy exited before listening:\n${output}`)
    }
    if (output.includes('serving initial configuration') && (await accepts(apiPort)) && (await accepts(sitePort)) && !exited) break
    await delay(25)
  }

  return {
    api: addresses.api,
    site: addresses.site,
    ports,
    log: () => output,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM')
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000)
        await exit
        clearTimeout(killer)
      }
    },
  }
}

/** Starts caddy on fresh free ports; retries if a port was taken meanwhile. */
export async function startCaddy(options: CaddyOptions): Promise<CaddyInstance> {
  caddyVersion()
  const state = await mkdtemp(join(tmpdir(), 'caddy-test-'))
  let last = ''
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = await startOnce(options, state)
    if (!('retry' in started)) {
      return {
        ...started,
        async stop() {
          await started.stop()
          await rm(state, { recursive: true, force: true })
        },
      }
    }
    last = started.retry
  }
  await rm(state, { recursive: true, force: true })
  throw new Error(`caddy could not bind free ports after 3 attempts:\n${last}`)
}
