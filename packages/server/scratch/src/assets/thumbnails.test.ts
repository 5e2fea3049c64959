import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AssetRecord } from '@patchbay/db'
import { MemoryAssetStore } from '@patchbay/storage'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

let dir: string
let assets: MemoryAssetStore

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchbay-thumbnails-'))
  assets = new MemoryAssetStore()
})

afterAll(async () => {
  await assets.dispose()
  await rm(dir, { recursive: true, force: true })
  vi.unstubAllEnvs()
  vi.resetModules()
})

async function stored(bytes: Uint8Array, fields: Partial<AssetRecord>): Promise<AssetRecord> {
  const blob = await assets.put(bytes)
  return {
    assetId: 'a1',
    orgId: 'o1',
    kind: 'image',
    mime: 'image/png',
    bytes: blob.bytes,
    sha256: blob.sha256,
    storageKey: blob.key,
    name: null,
    createdAt: new Date(),
    ...fields,
  }
}

/** A ThumbnailCache of a fresh module instance that runs `ffmpeg` as ffmpeg (read when the module loads). */
async function cacheWith(ffmpeg: string) {
  vi.stubEnv('PATCHBAY_FFMPEG', ffmpeg)
  vi.resetModules()
  const { ThumbnailCache } = await import('./thumbnails.ts')
  return new ThumbnailCache(join(dir, 'cache'), assets)
}

describe('ThumbnailCache', () => {
  it('makes a WebP of an image once, oriented and fitted into 256 px', async () => {
    const cache = await cacheWith('ffmpeg')
    // Stored sideways with an EXIF orientation of 6: displayed 300 wide, 900 high.
    const photo = await sharp({ create: { width: 900, height: 300, channels: 3, background: 'navy' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer()
    const asset = await stored(photo, { mime: 'image/jpeg' })
    const path = await cache.path(asset)
    expect(path.endsWith(`${asset.sha256}.webp`)).toBe(true)
    expect(await sharp(path).metadata()).toMatchObject({ format: 'webp', width: 85, height: 256 })
    const [first, second] = await Promise.all([cache.path(asset), cache.path(asset)])
    expect(first).toBe(second)
    await cache.forget(asset.sha256)
    await expect(readFile(path)).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('thumbnails a video from the frame ffmpeg extracts at 1 s, or its first frame for short clips', async () => {
    const frame = await sharp({ create: { width: 256, height: 144, channels: 3, background: 'red' } })
      .png()
      .toBuffer()
    const framePath = join(dir, 'frame.png')
    await writeFile(framePath, frame)
    const ffmpeg = join(dir, 'ffmpeg-fake')
    await writeFile(ffmpeg, `#!/bin/sh\necho "$@" >> "${dir}/ffmpeg-args"\ncat "${framePath}"\n`, { mode: 0o755 })
    const cache = await cacheWith(ffmpeg)

    const long = await stored(Buffer.from('pretend this is a long mp4'), {
      kind: 'video',
      mime: 'video/mp4',
      durationMs: 5000,
    })
    expect(await sharp(await cache.path(long)).metadata()).toMatchObject({ format: 'webp', width: 256, height: 144 })
    const short = await stored(Buffer.from('pretend this is a short mp4'), {
      kind: 'video',
      mime: 'video/mp4',
      durationMs: 800,
    })
    await cache.path(short)
    const calls = (await readFile(join(dir, 'ffmpeg-args'), 'utf8')).trim().split('\n')
    expect(calls).toHaveLength(2)
    expect(calls[0]).toMatch(/^-v error -ss 1 -i \S+ -frames:v 1 -vf scale=.* -f image2pipe -c:v png pipe:1$/)
    expect(calls[1]).toMatch(/ -ss 0 /)
  })

  it('reports a missing ffmpeg as such', async () => {
    const cache = await cacheWith(join(dir, 'no-such-ffmpeg'))
    const video = await stored(Buffer.from('another mp4'), { kind: 'video', mime: 'video/mp4' })
    await expect(cache.path(video)).rejects.toMatchObject({ name: 'MediaToolMissingError' })
  })
})
