import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunEvent } from '@patchbay/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, spawnChild } from '../support/child-process.ts'
import { type Fakes, startFakes } from './support.ts'

const bin = join(repoRoot, 'packages/cli/bin/patchbay.js')
let fakes: Fakes
let work: string

beforeAll(async () => {
  fakes = await startFakes()
  work = await mkdtemp(join(tmpdir(), 'patchbay-cli-models-'))
})
afterAll(async () => {
  await fakes?.close()
  await rm(work, { recursive: true, force: true })
})

async function patchbay(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawnChild(process.execPath, [bin, ...args], { env })
  const { code } = await child.exited
  return { code, stdout: child.lines.join('\n'), stderr: child.stderr(), lines: child.lines }
}

describe('patchbay run with model nodes', () => {
  it('runs examples/product-shot.json against the providers and reports its cost', async () => {
    const dataDir = join(work, 'ok')
    const result = await patchbay(['run', 'examples/product-shot.json', '--json', '--out', join(work, 'out')], {
      ...fakes.env,
      PATCHBAY_DATA_DIR: dataDir,
    })
    expect(result.code, result.stderr).toBe(0)
    const finished = JSON.parse(result.lines.at(-1) ?? '{}') as Extract<RunEvent, { type: 'run.finished' }>
    expect(finished).toMatchObject({ type: 'run.finished', status: 'succeeded' })
    expect(finished.cost).toBeGreaterThan(0.042)
    expect(existsSync(join(work, 'out', 'photo.png'))).toBe(true)
  })

  it('prints an estimate without running anything or opening the data directory', async () => {
    const dataDir = join(work, 'estimate')
    const result = await patchbay(['run', 'examples/product-shot.json', '--estimate'], { PATCHBAY_DATA_DIR: dataDir })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('openai/gpt-image-1')
    expect(result.stdout).toContain('Estimated total: $0.043')
    expect(existsSync(dataDir)).toBe(false)
  })

  it('refuses to start a run whose provider has no credential, naming the variable', async () => {
    const { OPENAI_API_KEY: _dropped, ...env } = fakes.env
    const dataDir = join(work, 'no-key')
    const result = await patchbay(['run', 'examples/product-shot.json'], { ...env, PATCHBAY_DATA_DIR: dataDir })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('set OPENAI_API_KEY')
    expect(result.stderr).toContain('MISSING_CREDENTIAL')
    expect(existsSync(dataDir)).toBe(false)
  })

  it('validates model calls too: the credential unless --no-credentials, and param ranges always', async () => {
    const strict = await patchbay(['validate', 'examples/product-shot.json'], {})
    expect(strict.code).toBe(1)
    expect(strict.stdout).toContain('set OPENAI_API_KEY')
    const lenient = await patchbay(['validate', 'examples/product-shot.json', '--no-credentials', '--json'], {})
    expect(lenient.code, lenient.stdout).toBe(0)
    expect(JSON.parse(lenient.stdout)).toEqual({ ok: true })
  })

  it('lists the catalog and which providers are configured', async () => {
    const result = await patchbay(['models', '--json'], { OPENAI_API_KEY: 'k', FAL_KEY: '' })
    expect(result.code, result.stderr).toBe(0)
    const catalog = JSON.parse(result.stdout) as {
      providers: Array<{ id: string; configured: boolean }>
      models: Array<{ id: string; price: Record<string, number> }>
    }
    expect(catalog.providers.find((provider) => provider.id === 'openai')?.configured).toBe(true)
    expect(catalog.providers.find((provider) => provider.id === 'fal')?.configured).toBe(false)
    expect(catalog.models.find((model) => model.id === 'openai/gpt-image-1')?.price).toEqual({ perImage: 0.042 })
    const table = await patchbay(['models', '--capability', 'video.generate'], {})
    expect(table.stdout).toContain('google/veo-3.1-generate-preview')
    expect(table.stdout).not.toContain('gpt-image-1')
  })
})
