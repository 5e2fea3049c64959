import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import type { AssetRecord } from '@patchbay/db'
import type { StoredBlob } from '@patchbay/storage'
import { ApiError } from '../api/errors.ts'
import type { Services } from '../services.ts'
import { probeMedia } from './probe.ts'
import type { SniffResult } from './sniff.ts'
import { ThumbnailCache } from './thumbnails.ts'

/** Stored bytes whose type was sniffed, on their way to becoming an asset. */
export interface StoredUpload {
  blob: StoredBlob
  sniffed: Extract<SniffResult, { ok: true }>
  name: string | null
}

/**
 * Turns stored upload bytes into the organisation's asset, the same way for every way in
 * (multipart or presigned): the media must probe (decode) or the bytes are discarded and the
 * upload refused with 415; the record is upserted, so the same bytes again give the same asset.
 */
export async function recordUpload(services: Services, orgId: string, upload: StoredUpload): Promise<AssetRecord> {
  const { runtime } = services
  const probed = await probeMedia(await runtime.assets.localPath(upload.blob.key), upload.sniffed)
  if (!probed.ok) {
    await discardBytes(services, upload.blob.key, upload.blob.sha256)
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `this upload is refused: ${probed.reason}`)
  }
  if (probed.unprobed) warnUnprobed(services)
  return runtime.store.upsertAsset({
    assetId: randomUUID(),
    orgId,
    ...probed.facts,
    bytes: upload.blob.bytes,
    sha256: upload.blob.sha256,
    storageKey: upload.blob.key,
    name: upload.name,
    createdAt: new Date(),
  })
}

/** Deletes stored bytes (and their thumbnail) unless an asset record still points at them. */
export async function discardBytes(services: Services, storageKey: string, sha256: string): Promise<void> {
  const { store, assets } = services.runtime
  if (await store.isStorageKeyUsed(storageKey)) return
  await assets.delete(storageKey)
  await thumbnails(services).forget(sha256)
}

/** Thumbnails are made and kept by each server process, whichever store holds the bytes. */
export function thumbnails(services: Services): ThumbnailCache {
  return new ThumbnailCache(join(services.runtime.config.dataDir, 'cache', 'thumbnails'), services.runtime.assets)
}

const warned = new WeakSet<Services>()

function warnUnprobed(services: Services): void {
  if (warned.has(services)) return
  warned.add(services)
  services.logger.warn('ffprobe is not installed: uploaded video and audio are stored without duration or size')
}
