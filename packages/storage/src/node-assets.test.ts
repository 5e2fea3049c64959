import { readFile } from 'node:fs/promises'
import type { AssetRef } from '@patchbay/core'
import { describe, expect, it } from 'vitest'
import { chunked, collect, expectBytes, patternBytes, sha256 } from './asset-store.contract.ts'
import { MemoryAssetStore } from './memory/memory-asset-store.ts'
import { type AssetRecord, createNodeAssets } from './node-assets.ts'

function ids(): () => string {
  let next = 0
  return () => `asset-${++next}`
}

describe('createNodeAssets', () => {
  it('stores bytes, builds the reference and records it with its storage key and name', async () => {
    const store = new MemoryAssetStore()
    const recorded: AssetRecord[] = []
    const assets = createNodeAssets({
      store,
      newId: ids(),
      record: (asset) => {
        recorded.push(asset)
        const { storageKey: _key, name: _name, ...ref } = asset
        return ref
      },
    })
    const data = patternBytes(5000)
    const ref = await assets.put(chunked(data, 1024), { mime: 'image/png', width: 40, height: 30, name: 'a.png' })
    expect(ref).toEqual({
      assetId: 'asset-1',
      kind: 'image',
      mime: 'image/png',
      bytes: 5000,
      sha256: sha256(data),
      width: 40,
      height: 30,
    })
    expect(recorded).toEqual([{ ...ref, storageKey: sha256(data), name: 'a.png' }])
    expectBytes(await assets.read(ref), data)
    expectBytes(await collect(assets.stream(ref)), data)
    expectBytes(await readFile(await assets.localPath(ref)), data)
    await store.dispose()
  })

  it('infers the kind from the MIME type unless given, and keeps durationMs', async () => {
    const assets = createNodeAssets({ store: new MemoryAssetStore(), newId: ids() })
    const audio = await assets.put(patternBytes(10), { mime: 'audio/mpeg', durationMs: 1500 })
    expect(audio).toMatchObject({ kind: 'audio', durationMs: 1500 })
    expect(audio).not.toHaveProperty('width')
    expect(await assets.put(patternBytes(11), { mime: 'application/pdf' })).toMatchObject({ kind: 'file' })
    expect(await assets.put(patternBytes(12), { mime: 'text/plain', kind: 'file' })).toMatchObject({ kind: 'file' })
  })

  it('returns whatever reference record gives back, e.g. an existing asset for known content', async () => {
    const existing = new Map<string, AssetRef>()
    const assets = createNodeAssets({
      store: new MemoryAssetStore(),
      newId: ids(),
      record: ({ storageKey: _key, name: _name, ...ref }) => {
        const known = existing.get(ref.sha256)
        if (known) return known
        existing.set(ref.sha256, ref)
        return ref
      },
    })
    const first = await assets.put(patternBytes(64), { mime: 'image/webp' })
    const second = await assets.put(patternBytes(64), { mime: 'image/webp' })
    expect(first.assetId).toBe('asset-1')
    expect(second).toBe(first)
  })

  it('rejects bad metadata before storing anything', async () => {
    const store = new MemoryAssetStore()
    const assets = createNodeAssets({ store })
    await expect(assets.put(patternBytes(8), { mime: 'image/png', width: 0 })).rejects.toMatchObject({
      code: 'INVALID_ASSET_META',
    })
    await expect(assets.put(patternBytes(8), { mime: '' })).rejects.toMatchObject({ code: 'INVALID_ASSET_META' })
    expect(await store.exists(sha256(patternBytes(8)))).toBe(false)
  })

  it('uses random UUIDs as asset ids by default', async () => {
    const assets = createNodeAssets({ store: new MemoryAssetStore() })
    const ref = await assets.put(patternBytes(3), { mime: 'image/png' })
    expect(ref.assetId).toMatch(/^[0-9a-f-]{36}$/)
  })
})
