import { access } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { describeAssetStoreContract, patternBytes } from '../asset-store.contract.ts'
import { MemoryAssetStore } from './memory-asset-store.ts'

describeAssetStoreContract('memory', async () => {
  const store = new MemoryAssetStore()
  return { store, cleanup: () => store.dispose() }
})

describe('MemoryAssetStore', () => {
  it('writes a temporary file once per blob and removes it on delete and dispose', async () => {
    const store = new MemoryAssetStore()
    const a = await store.put(patternBytes(100))
    const b = await store.put(patternBytes(200))
    const [first, second] = await Promise.all([store.localPath(a.key), store.localPath(a.key)])
    expect(first).toBe(second)
    await store.delete(a.key)
    await expect(access(first as string)).rejects.toMatchObject({ code: 'ENOENT' })
    const other = await store.localPath(b.key)
    await store.dispose()
    await expect(access(other)).rejects.toMatchObject({ code: 'ENOENT' })
    expect(await store.read(b.key)).toEqual(patternBytes(200))
  })
})
