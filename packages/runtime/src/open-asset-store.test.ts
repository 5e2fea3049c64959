import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalAssetStore } from '@patchbay/storage'
import { startS3ForTests } from '@patchbay/storage/testing'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { configFromEnv } from './config.ts'
import { openAssetStore } from './open-asset-store.ts'

const s3 = await startS3ForTests('openAssetStore on S3')

afterAll(async () => {
  await s3?.close()
})

describe('openAssetStore', () => {
  let dataDir: string
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'patchbay-open-assets-'))
  })
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true })
  })

  it('opens local files under the data directory by default', async () => {
    const store = await openAssetStore(configFromEnv({ PATCHBAY_DATA_DIR: dataDir }))
    expect(store).toBeInstanceOf(LocalAssetStore)
    expect((store as LocalAssetStore).root).toBe(join(dataDir, 'assets'))
  })

  it.skipIf(!s3)('opens the bucket the S3_* variables name, caching downloads under the data directory', async () => {
    const store = await openAssetStore(configFromEnv({ PATCHBAY_DATA_DIR: dataDir, ...s3!.env('runtime/') }))
    try {
      expect(store.kind).toBe('s3')
      const { key } = await store.put(new TextEncoder().encode('through the runtime'))
      expect(new TextDecoder().decode(await store.read(key))).toBe('through the runtime')
      expect(await store.localPath(key)).toBe(join(dataDir, 'cache', 'assets', key))
    } finally {
      await store.close?.()
    }
  })
})
