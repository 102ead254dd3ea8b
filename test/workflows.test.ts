import { execFile } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { repoRoot } from './helpers/project.js'

const run = promisify(execFile)
const dir = join(repoRoot, '.github/workflows')
const names = (await readdir(dir)).filter((n) => n.endsWith('.yml'))

interface Step {
  uses?: string
  with?: Record<string, unknown>
}
interface Workflow {
  permissions?: unknown
  jobs: Record<string, { permissions?: Record<string, string>; steps: Step[] }>
}

describe.each(names)('.github/workflows/%s', (name) => {
  it('is valid according to the workflow schema', async () => {
    const validator = join(repoRoot, 'node_modules/.bin/action-validator')
    await expect(run(validator, [join(dir, name)])).resolves.toBeDefined()
  })

  it('grants least privilege, pins actions to commits and keeps no credentials', async () => {
    const workflow = parse(await readFile(join(dir, name), 'utf8')) as Workflow
    expect(workflow.permissions).toEqual({})
    for (const [id, job] of Object.entries(workflow.jobs)) {
      expect(job.permissions, `job ${id} sets its permissions`).toBeDefined()
      for (const step of job.steps.filter((s) => s.uses)) {
        expect(step.uses, 'pinned to a full commit SHA').toMatch(/@[0-9a-f]{40}$/)
        if (step.uses!.startsWith('actions/checkout@')) expect(step.with?.['persist-credentials']).toBe(false)
      }
    }
  })
})

it('CI runs the tests and the frozen check', async () => {
  const ci = await readFile(join(dir, 'ci.yml'), 'utf8')
  expect(ci).toContain('run: npm test')
  expect(ci).toContain('run: npm run check -- --frozen')
})
