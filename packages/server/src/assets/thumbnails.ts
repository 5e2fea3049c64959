import { randomUUID } from 'node:crypto'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { AssetRecord } from '@patchbay/db'
import type { AssetStore } from '@patchbay/storage'
import sharp from 'sharp'
import { ffmpegBinary, runMediaTool } from './media-tools.ts'

/** Longest side of a thumbnail, in pixels. */
export const thumbnailSize = 256

/** Thumbnails being made right now, by file, so concurrent requests for one share the work. */
const inFlight = new Map<string, Promise<string>>()

/**
 * WebP thumbnails of image and video assets, made on first request and kept in a cache
 * directory (under the data dir; they are derived data, so losing them costs only time).
 * They are named by the content's sha256, so assets sharing bytes share a thumbnail.
 */
export class ThumbnailCache {
  readonly #dir: string
  readonly #assets: AssetStore

  constructor(dir: string, assets: AssetStore) {
    this.#dir = dir
    this.#assets = assets
  }

  /** The thumbnail file of an image or video asset, made now if it does not exist yet. */
  async path(asset: AssetRecord): Promise<string> {
    const target = this.#fileOf(asset.sha256)
    if (await isFile(target)) return target
    let pending = inFlight.get(target)
    if (!pending) {
      pending = this.#make(asset, target).finally(() => inFlight.delete(target))
      inFlight.set(target, pending)
    }
    return pending
  }

  /** Removes the thumbnail of content whose bytes were deleted. */
  async forget(sha256: string): Promise<void> {
    await rm(this.#fileOf(sha256), { force: true })
  }

  #fileOf(sha256: string): string {
    // The name becomes a path, so it must be exactly a hash (records come from the database).
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256.slice(0, 80)}`)
    return join(this.#dir, sha256.slice(0, 2), `${sha256}.webp`)
  }

  async #make(asset: AssetRecord, target: string): Promise<string> {
    const source = await this.#assets.localPath(asset.storageKey)
    const input = asset.kind === 'video' ? await videoFrame(source, asset.durationMs) : source
    await mkdir(dirname(target), { recursive: true })
    const tmp = `${target}.${randomUUID()}.part`
    try {
      await sharp(input, { animated: false })
        .rotate()
        .resize(thumbnailSize, thumbnailSize, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 80 })
        .toFile(tmp)
      await rename(tmp, target)
    } finally {
      await rm(tmp, { force: true })
    }
    return target
  }
}

/** One PNG frame of a video: at 1 s when it is longer than that, else its first frame. */
async function videoFrame(path: string, durationMs: number | undefined): Promise<Buffer> {
  const grab = (seconds: number) =>
    runMediaTool(ffmpegBinary, [
      '-v',
      'error',
      '-ss',
      String(seconds),
      '-i',
      path,
      '-frames:v',
      '1',
      '-vf',
      `scale='min(iw,${thumbnailSize})':'min(ih,${thumbnailSize})':force_original_aspect_ratio=decrease`,
      '-f',
      'image2pipe',
      '-c:v',
      'png',
      'pipe:1',
    ])
  const seek = durationMs !== undefined && durationMs > 1000 ? 1 : 0
  const frame = await grab(seek)
  // Seeking past the last frame (a wrong duration) yields nothing: fall back to the first frame.
  return frame.length > 0 || seek === 0 ? frame : grab(0)
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}
