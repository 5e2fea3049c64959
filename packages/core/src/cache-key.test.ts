import { describe, expect, it } from 'vitest'
import { computeCacheKey } from './cache-key.ts'
import type { AssetRef } from './data-types.ts'

const base = { type: 'image.resize', version: 1, params: { width: 64, mode: 'fit' }, inputs: { text: 'hello' } }

function asset(overrides: Partial<AssetRef> = {}): AssetRef {
  return { assetId: 'asset-1', kind: 'image', mime: 'image/png', bytes: 10, sha256: 'a'.repeat(64), ...overrides }
}

describe('computeCacheKey', () => {
  it('is a stable sha256 hex digest', () => {
    const key = computeCacheKey(base)
    expect(key).toMatch(/^[0-9a-f]{64}$/)
    expect(computeCacheKey({ ...base })).toBe(key)
  })

  it('ignores the key order of params and inputs', () => {
    const reordered = {
      inputs: { text: 'hello' },
      params: { mode: 'fit', width: 64 },
      version: 1,
      type: 'image.resize',
    }
    expect(computeCacheKey(reordered)).toBe(computeCacheKey(base))
  })

  it('changes with the node type, version, params and inputs', () => {
    const key = computeCacheKey(base)
    const variants = [
      { ...base, type: 'image.crop' },
      { ...base, version: 2 },
      { ...base, params: { width: 65, mode: 'fit' } },
      { ...base, params: { width: 64, mode: 'fit', extra: true } },
      { ...base, inputs: { text: 'hello!' } },
      { ...base, inputs: { other: 'hello' } },
      { ...base, inputs: {} },
    ]
    const keys = variants.map((args) => computeCacheKey(args))
    for (const other of keys) expect(other).not.toBe(key)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('does not confuse params with inputs', () => {
    expect(computeCacheKey({ ...base, params: { x: 1 }, inputs: {} })).not.toBe(
      computeCacheKey({ ...base, params: {}, inputs: { x: 1 } }),
    )
  })

  it('identifies assets by content hash and mime, not by id or metadata', () => {
    const one = computeCacheKey({ ...base, inputs: { image: asset({ assetId: 'first', width: 10 }) } })
    const two = computeCacheKey({ ...base, inputs: { image: asset({ assetId: 'second', bytes: 10, height: 3 }) } })
    expect(one).toBe(two)
  })

  it('tells assets with different bytes or mime apart', () => {
    const key = computeCacheKey({ ...base, inputs: { image: asset() } })
    expect(computeCacheKey({ ...base, inputs: { image: asset({ sha256: 'b'.repeat(64) }) } })).not.toBe(key)
    expect(computeCacheKey({ ...base, inputs: { image: asset({ mime: 'image/jpeg' }) } })).not.toBe(key)
  })

  it('finds assets inside lists and objects of inputs', () => {
    const key = (id: string) =>
      computeCacheKey({ ...base, inputs: { images: [asset({ assetId: id })], nested: { a: asset({ assetId: id }) } } })
    expect(key('x')).toBe(key('y'))
  })

  it('keeps an asset-like value that is not a valid AssetRef as it is', () => {
    const notAnAsset = (id: string) => ({ assetId: id, sha256: 'not-a-hash' })
    expect(computeCacheKey({ ...base, inputs: { v: notAnAsset('x') } })).not.toBe(
      computeCacheKey({ ...base, inputs: { v: notAnAsset('y') } }),
    )
  })
})
