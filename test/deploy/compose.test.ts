/**
 * deploy/docker-compose.yml checked structurally (no Docker engine here):
 * Piston internal-only and unpublished, privileged, limits set; Caddy
 * published, with the Caddyfile, the site and its settings.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse } from 'yaml'
import { beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from './caddy.js'

interface Service {
  image?: string
  privileged?: boolean
  restart?: string
  ports?: unknown[]
  expose?: unknown[]
  network_mode?: string
  networks?: string[] | Record<string, unknown>
  volumes?: string[]
  tmpfs?: string[]
  environment?: Record<string, string> | string[]
  depends_on?: string[] | Record<string, unknown>
  command?: unknown
}

interface Compose {
  services: Record<string, Service>
  networks?: Record<string, { internal?: boolean } | null>
  volumes?: Record<string, unknown>
}

async function load(name: string): Promise<Compose> {
  return parse(await readFile(join(REPO_ROOT, 'deploy', name), 'utf8')) as Compose
}

function networksOf(service: Service): string[] {
  if (!service.networks) return []
  return Array.isArray(service.networks) ? service.networks : Object.keys(service.networks)
}

function env(service: Service): Record<string, string> {
  const raw = service.environment ?? {}
  if (!Array.isArray(raw)) return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]))
  return Object.fromEntries(raw.map((line) => [line.split('=')[0] ?? '', line.slice(line.indexOf('=') + 1)]))
}

/** `${VAR:-default}` → default; a literal stays as it is. */
function defaultOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const m = /^\$\{[A-Z0-9_]+:-(.*)\}$/.exec(value)
  return m ? m[1] : value
}

describe('deploy/docker-compose.yml', () => {
  let compose: Compose
  let piston: Service
  let caddy: Service

  beforeAll(async () => {
    compose = await load('docker-compose.yml')
    piston = compose.services.piston!
    caddy = compose.services.caddy!
  })

  it('has exactly the piston and caddy services, from the official images', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['caddy', 'piston'])
    expect(piston.image).toMatch(/^ghcr\.io\/engineer-man\/piston(:|$)/)
    expect(caddy.image).toMatch(/^caddy(:|$)/)
    for (const service of [piston, caddy]) expect(service.restart).toMatch(/^(always|unless-stopped)$/)
  })

  it('keeps Piston unpublished and on an internal network only', () => {
    expect(piston.ports).toBeUndefined()
    expect(piston.expose).toBeUndefined()
    expect(piston.network_mode).toBeUndefined()
    const nets = networksOf(piston)
    expect(nets.length).toBeGreaterThan(0)
    for (const net of nets) expect(compose.networks?.[net]?.internal).toBe(true)
    // Caddy is the only other member of that network.
    for (const [name, service] of Object.entries(compose.services)) {
      if (name === 'piston') continue
      const shared = networksOf(service).filter((n) => nets.includes(n))
      if (shared.length > 0) expect(name).toBe('caddy')
    }
  })

  it('runs Piston privileged, with its packages on a volume and an exec tmpfs for jobs', () => {
    expect(piston.privileged).toBe(true)
    const packages = (piston.volumes ?? []).find((v) => v.split(':')[1] === '/piston/packages')
    expect(packages).toBeDefined()
    expect(Object.keys(compose.volumes ?? {})).toContain(packages!.split(':')[0])
    expect((piston.tmpfs ?? []).some((t) => t.startsWith('/piston/jobs:') && t.includes('exec'))).toBe(true)
  })

  it('sets Piston limits through its PISTON_* variables', () => {
    const vars = env(piston)
    for (const name of [
      'PISTON_RUN_TIMEOUT',
      'PISTON_COMPILE_TIMEOUT',
      'PISTON_RUN_CPU_TIME',
      'PISTON_OUTPUT_MAX_SIZE',
      'PISTON_MAX_CONCURRENT_JOBS',
      'PISTON_MAX_PROCESS_COUNT',
      'PISTON_DISABLE_NETWORKING',
    ]) {
      expect(vars, name).toHaveProperty(name)
    }
    // Output cap well above the 1024-character default.
    expect(Number(defaultOf(vars.PISTON_OUTPUT_MAX_SIZE))).toBeGreaterThanOrEqual(16 * 1024)
    // A concurrency a 1-vCPU VM survives.
    const jobs = Number(defaultOf(vars.PISTON_MAX_CONCURRENT_JOBS))
    expect(jobs).toBeGreaterThanOrEqual(1)
    expect(jobs).toBeLessThanOrEqual(4)
    expect(Number(defaultOf(vars.PISTON_RUN_TIMEOUT))).toBeGreaterThanOrEqual(3000)
    expect(defaultOf(vars.PISTON_DISABLE_NETWORKING)).toBe('true')
  })

  it('publishes Caddy on 80 and 443 and puts it on both networks', () => {
    const ports = (caddy.ports ?? []).map(String)
    expect(ports).toContain('80:80')
    expect(ports).toContain('443:443')
    const nets = networksOf(caddy)
    expect(nets).toEqual(expect.arrayContaining(networksOf(piston)))
    expect(nets.some((n) => compose.networks?.[n]?.internal !== true)).toBe(true)
  })

  it('mounts the Caddyfile and the built site into Caddy, read-only, and keeps its certificates', () => {
    const volumes = caddy.volumes ?? []
    expect(volumes).toContain('./Caddyfile:/etc/caddy/Caddyfile:ro')
    const site = volumes.find((v) => v.includes(':/srv/dist'))
    expect(site).toMatch(/dist.*:\/srv\/dist:ro$/)
    expect(volumes.some((v) => v.split(':')[1] === '/data')).toBe(true)
  })

  it('gives Caddy every placeholder the Caddyfile needs', async () => {
    const vars = env(caddy)
    for (const name of ['SITE_ADDRESS', 'API_ADDRESS', 'SITE_ROOT', 'ALLOWED_ORIGINS', 'LIVE_ENDPOINT', 'PISTON_UPSTREAMS', 'API_TOKEN']) {
      expect(vars, name).toHaveProperty(name)
    }
    expect(vars.SITE_ROOT).toBe('/srv/dist')
    expect(defaultOf(vars.PISTON_UPSTREAMS)).toBe('piston:2000')
    expect(vars.ALLOWED_ORIGINS).not.toContain('*')

    // Every {$VAR} without a default in the Caddyfile is provided here.
    const caddyfile = await readFile(join(REPO_ROOT, 'deploy', 'Caddyfile'), 'utf8')
    const required = [...caddyfile.matchAll(/\{\$([A-Z0-9_]+)\}/g)].map((m) => m[1]!)
    for (const name of new Set(required)) expect(vars, name).toHaveProperty(name)
  })
})

describe('deploy/compose.install.yml (the maintenance overlay)', () => {
  it('only adds egress to Piston, publishes nothing, and runs the installer on the private network', async () => {
    const base = await load('docker-compose.yml')
    const overlay = await load('compose.install.yml')
    const piston = overlay.services.piston!
    expect(piston.ports).toBeUndefined()
    expect(Object.keys(piston).sort()).toEqual(['networks'])
    const installer = overlay.services['install-runtimes']!
    expect(installer.ports).toBeUndefined()
    const internal = networksOf(base.services.piston!)
    expect(networksOf(installer)).toEqual(expect.arrayContaining(internal))
    const command = JSON.stringify(installer.command)
    expect(command).toContain('npm run -s runtimes -- --json')
    expect(command).toContain('npm run -s install-runtimes -- --from')
    expect(command).toContain('--piston-url')
    // The scripts it names are the repository's own.
    const { scripts } = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8'))
    expect(scripts['install-runtimes']).toContain('deploy/install-runtimes.ts')
    expect(scripts.runtimes).toContain('src/cli/bin.ts runtimes')
  })
})
