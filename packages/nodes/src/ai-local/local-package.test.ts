import { NodeError } from '@patchbay/core'
import { describe, expect, it } from 'vitest'
import { importLocalPackage, loadOnce } from './local-package.ts'

describe('importLocalPackage', () => {
  it('fails with LOCAL_MODEL_MISSING and an install hint when the package is not installed', async () => {
    const error = await importLocalPackage('@patchbay/no-such-local-model', '^1.0.0').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NodeError)
    expect(error).toMatchObject({ code: 'LOCAL_MODEL_MISSING', retryable: false })
    expect((error as Error).message).toContain('npm install @patchbay/no-such-local-model@^1.0.0 -w @patchbay/nodes')
  })

  it('returns the module of an installed package', async () => {
    const module = (await importLocalPackage('sharp', '*')) as { default: unknown }
    expect(typeof module.default).toBe('function')
  })
})

describe('loadOnce', () => {
  it('loads each key once and shares the promise', async () => {
    let calls = 0
    const load = loadOnce(async (key: string) => `${key}:${++calls}`)
    const [a, b] = await Promise.all([load('x'), load('x')])
    expect([a, b, await load('x'), await load('y')]).toEqual(['x:1', 'x:1', 'x:1', 'y:2'])
  })

  it('forgets a failed load so the next call tries again', async () => {
    let calls = 0
    const load = loadOnce(async (_key: string) => {
      calls++
      if (calls === 1) throw new Error('flaky disk')
      return 'ok'
    })
    await expect(load('k')).rejects.toThrow('flaky disk')
    await expect(load('k')).resolves.toBe('ok')
    expect(calls).toBe(2)
  })
})
