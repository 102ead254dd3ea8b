/**
 * deploy/docker-compose.yml and the install overlay checked structurally (no
 * Docker engine here): Piston internal-only and unpublished, privileged but
 * limited; Caddy published, with the least privilege it needs; images pinned
 * by digest; the overlay never gives the serving Piston egress.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseDocument } from 'yaml'
import { beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from './caddy.js'

interface Service {
  image?: string
  privileged?: boolean
  cgroup?: string
  cap_drop?: string[]
  cap_add?: string[]
  security_opt?: string[]
  read_only?: boolean
  user?: string
  mem_limit?: string
  memswap_limit?: string
  pids_limit?: number | string
  profiles?: string[]
  extends?: { file: string; service: string }
  healthcheck?: unknown
  working_dir?: string
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

async function text(name: string): Promise<string> {
  return readFile(join(REPO_ROOT, 'deploy', name), 'utf8')
}

/** Compose's `!override` / `!reset` tags are kept as the node's tag; see `tagOf`. */
async function document(name: string) {
  const doc = parseDocument(await text(name))
  expect(doc.errors).toEqual([])
  return doc
}

async function load(name: string): Promise<Compose> {
  return (await document(name)).toJS() as Compose
}

/** `name:tag@${NAME_DIGEST:?...}`: the tag it came from and a required digest. */
function pinned(image: string | undefined): { name: string; tag: string; digestVar: string } {
  const m = /^([a-z0-9./-]+):\$\{[A-Z_]+_TAG:-([^}]+)\}@\$\{([A-Z_]+_DIGEST):\?[^}]+\}$/.exec(image ?? '')
  expect(m, `${image} is not pinned as name:\${X_TAG:-tag}@\${X_DIGEST:?...}`).not.toBeNull()
  return { name: m![1]!, tag: m![2]!, digestVar: m![3]! }
}

/** A service's memory and process caps, and no swap beyond the memory cap. */
function expectLimited(service: Service): void {
  expect(service.mem_limit).toBeDefined()
  expect(service.memswap_limit).toBe(service.mem_limit)
  expect(Number(defaultOf(String(service.pids_limit)))).toBeGreaterThan(0)
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

  it('has exactly the piston and caddy services, from the official images pinned by digest', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['caddy', 'piston'])
    expect(pinned(piston.image).name).toBe('ghcr.io/engineer-man/piston')
    const caddyImage = pinned(caddy.image)
    expect(caddyImage.name).toBe('caddy')
    // A precise release, not a floating "2".
    expect(caddyImage.tag).toMatch(/^2\.\d+\.\d+(-alpine)?$/)
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

  it('runs Piston privileged in its own cgroup namespace, limited in memory, swap and processes', () => {
    expect(piston.privileged).toBe(true)
    // Isolate's cgroups must nest inside the container's limits.
    expect(piston.cgroup).toBe('private')
    expectLimited(piston)
    // Decoration a privileged container ignores, or that breaks setuid isolate: not there.
    expect(piston.cap_drop).toBeUndefined()
    expect(piston.security_opt ?? []).not.toContain('no-new-privileges:true')
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
    expect(Number(defaultOf(vars.PISTON_MAX_PROCESS_COUNT))).toBeLessThanOrEqual(128)
  })

  it('caps each job\'s memory so that every job at once still fits in the container', () => {
    const vars = env(piston)
    const bytes = (value: string) => {
      const m = /^(\d+)([kmg]?)$/.exec(value.toLowerCase())
      expect(m, value).not.toBeNull()
      return Number(m![1]) * { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m![2] as '' | 'k' | 'm' | 'g']
    }
    const container = bytes(defaultOf(piston.mem_limit)!)
    const jobs = Number(defaultOf(vars.PISTON_MAX_CONCURRENT_JOBS))
    for (const name of ['PISTON_RUN_MEMORY_LIMIT', 'PISTON_COMPILE_MEMORY_LIMIT']) {
      const perJob = Number(defaultOf(vars[name]))
      expect(perJob, name).toBeGreaterThan(0)
      // Room left for Piston's own Node process.
      expect(jobs * perJob + 128 * 1024 ** 2, name).toBeLessThanOrEqual(container)
    }
  })

  it('gives Caddy only the capability to bind 80/443, a read-only root and limits', () => {
    expect(caddy.cap_drop).toEqual(['ALL'])
    expect(caddy.cap_add).toEqual(['NET_BIND_SERVICE'])
    expect(caddy.security_opt).toContain('no-new-privileges:true')
    expect(caddy.read_only).toBe(true)
    expect(caddy.privileged).toBeUndefined()
    expectLimited(caddy)
  })

  it('lists every image digest in .env.example, empty until pinned', async () => {
    const example = await text('.env.example')
    for (const service of [piston, caddy]) expect(example).toMatch(new RegExp(`^${pinned(service.image).digestVar}=$`, 'm'))
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
  let base: Compose
  let overlay: Compose
  let install: Service
  let installer: Service

  beforeAll(async () => {
    base = await load('docker-compose.yml')
    overlay = await load('compose.install.yml')
    install = overlay.services['piston-install']!
    installer = overlay.services['install-runtimes']!
  })

  it('never touches the serving Piston: egress goes to a separate Piston that Caddy cannot reach', async () => {
    expect(Object.keys(overlay.services).sort()).toEqual(['install-runtimes', 'piston-install'])
    expect(install.extends).toEqual({ file: 'docker-compose.yml', service: 'piston' })
    // Without !override, compose would merge in the base's piston-internal network.
    const doc = await document('compose.install.yml')
    const networks = doc.getIn(['services', 'piston-install', 'networks'], true) as { tag?: string }
    expect(networks.tag).toBe('!override')
    const internal = networksOf(base.services.piston!)
    for (const service of [install, installer]) {
      expect(service.ports).toBeUndefined()
      expect(networksOf(service)).toEqual(['install-egress'])
      expect(networksOf(service).some((n) => internal.includes(n))).toBe(false)
      // Never started by a plain `up`.
      expect(service.profiles).toEqual(['install'])
    }
    expect(overlay.networks?.['install-egress']?.internal).toBeUndefined()
    expect(base.networks?.['install-egress']).toBeUndefined()
    // Stops with the installer and stays stopped.
    expect(install.restart).toBe('no')
    expect(install.healthcheck).toBeDefined()
    expect(installer.depends_on).toEqual({ 'piston-install': { condition: 'service_healthy' } })
  })

  it('runs the installer unprivileged, read-only, against the install Piston, from a pinned Node LTS (not 20)', async () => {
    const image = pinned(installer.image)
    expect(image.name).toBe('node')
    const major = Number(/^(\d+)\.\d+\.\d+-/.exec(image.tag)?.[1])
    expect(major).toBeGreaterThanOrEqual(22)
    expect(major % 2).toBe(0)
    expect(await text('.env.example')).toMatch(new RegExp(`^${image.digestVar}=$`, 'm'))
    expect(installer.user).toBe('node')
    expect(installer.cap_drop).toEqual(['ALL'])
    expect(installer.security_opt).toContain('no-new-privileges:true')
    expect(installer.read_only).toBe(true)
    expect(installer.volumes).toEqual(['..:/app:ro'])
    expectLimited({ ...installer, memswap_limit: installer.mem_limit })
    expect(env(installer).PISTON_PRIVATE_URL).toBe('http://piston-install:2000/api/v2')
    const command = JSON.stringify(installer.command)
    expect(command).toContain('npm run -s runtimes -- --json')
    expect(command).toContain('npm run -s install-runtimes -- --from')
    expect(command).toContain('--piston-url')
    // The scripts it names are the repository's own.
    const { scripts } = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8'))
    expect(scripts['install-runtimes']).toContain('deploy/install-runtimes.ts')
    expect(scripts.runtimes).toContain('src/cli/bin.ts runtimes')
    // The repo is mounted read-only: prepare (which compiles lib/) must not run.
    expect(command).toContain('npm ci --omit=dev --ignore-scripts')
  })

  it('is documented as one foreground command that stops the install Piston when the installer exits', async () => {
    // A command continued over lines (`\` + newline) as one line.
    const oneLine = (sh: string) => sh.replace(/\\\n\s*/g, '')
    const command = 'docker compose -f docker-compose.yml -f compose.install.yml --profile install up --exit-code-from install-runtimes piston-install install-runtimes'
    const header = (await text('compose.install.yml'))
      .split('\n')
      .filter((line) => line.startsWith('#'))
      .map((line) => line.replace(/^#\s*/, ''))
      .join('\n')
    expect(oneLine(header)).toContain(command)
    const readme = await text('README.md')
    expect(oneLine(readme)).toContain(command)
    expect(readme).toContain('docker compose restart piston')
  })
})

describe('deploy/Caddyfile (static)', () => {
  it('never buffers requests and has no passive health checks', async () => {
    // Directives, not the comments that explain why they are absent.
    const directives = (await text('Caddyfile'))
      .split('\n')
      .map((line) => line.replace(/#.*$/, '').trim())
      .filter(Boolean)
    // 2.6's buffer_requests (request_buffers today) resent other jobs' bodies
    // on retry (failover.test.ts); passive checks benched healthy replicas.
    for (const directive of ['buffer_requests', 'request_buffers', 'fail_duration', 'max_fails', 'unhealthy_status', 'unhealthy_latency', 'lb_retry_match']) {
      expect(directives.filter((line) => line.split(/\s+/)[0] === directive), directive).toEqual([])
    }
  })
})
