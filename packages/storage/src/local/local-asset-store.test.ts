import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { describeAssetStoreContract, patternBytes } from '../asset-store.contract.ts'
import { LocalAssetStore } from './local-asset-store.ts'

describeAssetStoreContract('local', async () => {
  const root = await mkdtemp(join(tmpdir(), 'patchbay-local-store-'))
  return { store: new LocalAssetStore({ root }), cleanup: () => rm(root, { recursive: true, force: true }) }
})

describe('LocalAssetStore', () => {
  let root: string
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'patchbay-local-store-'))
  })
  afterEach(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('lays blobs out as <root>/ab/cd/<sha256>', async () => {
    const store = new LocalAssetStore({ root })
    const { key } = await store.put(patternBytes(4096))
    const path = join(root, key.slice(0, 2), key.slice(2, 4), key)
    expect(await store.localPath(key)).toBe(path)
    expect((await stat(path)).size).toBe(4096)
  })

  it('leaves no temporary files after puts, failed or not', async () => {
    const store = new LocalAssetStore({ root, fsync: false })
    await Promise.all(Array.from({ length: 5 }, () => store.put(patternBytes(70_000))))
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield patternBytes(10)
      throw new Error('boom')
    }
    await expect(store.put(failing())).rejects.toThrow('boom')
    expect(await readdir(join(root, '.tmp'))).toEqual([])
  })

  it('creates its root on the first put', async () => {
    const store = new LocalAssetStore({ root: join(root, 'nested', 'assets') })
    const { key } = await store.put(patternBytes(10))
    expect(await store.exists(key)).toBe(true)
  })
})
