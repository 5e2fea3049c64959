import { createReadStream } from 'node:fs'
import { basename, join } from 'node:path'
import { type AssetRef, defineNode, type NodeContext } from '@patchbay/core'
import { throwIfAborted } from '../support/abort.ts'
import { displayUrl } from '../support/download.ts'
import { downloadToFile } from '../support/download-to-file.ts'
import { withTempDir } from '../support/ffmpeg/index.ts'
import { cacheableSource, fileNameOf, mediaSourceParams } from '../support/media-source.ts'
import { inspectVideoFile, type VideoFileInfo } from './container.ts'
import { VIDEO_TIMEOUT_MS } from './encode.ts'

/** Larger downloads are refused, by their declared size or as soon as more arrives. */
const MAX_DOWNLOAD_BYTES = 2 * 1024 ** 3

/**
 * `video.load`: brings a video into the workflow from a local file (`path`, within the
 * operator's file roots), an http(s) `url` (through the network policy) or an existing asset
 * (`assetId`, e.g. an upload). The bytes are stored as they are (never re-encoded, never read
 * whole into memory), with the container's MIME type, the displayed width and height and the
 * duration on the reference.
 *
 * Failures, all final unless noted: `INVALID_MEDIA` when the bytes are not a video in a
 * supported container (text, a truncated file, a still image, audio only);
 * `FILE_NOT_FOUND` / `FILE_ACCESS_DENIED` for paths; `ASSET_NOT_FOUND` for ids; `TOO_LARGE`
 * for downloads over 2 GB; `HTTP_ERROR` (retryable for 408/425/429/5xx) and `FETCH_FAILED`
 * (retryable) for URLs.
 */
export const videoLoad = defineNode({
  type: 'video.load',
  version: 1,
  category: 'video',
  title: 'Load video',
  description: 'Loads a video from a file path, a URL or an asset.',
  timeoutMs: VIDEO_TIMEOUT_MS,
  inputs: {},
  outputs: { video: { type: 'video' } },
  params: mediaSourceParams,
  cacheable: cacheableSource,
  async run({ params, ctx }) {
    if (params.assetId !== undefined) return { video: await fromAsset(ctx, params.assetId) }
    if (params.url !== undefined) return { video: await fromUrl(ctx, params.url) }
    return { video: await fromFile(ctx, params.path ?? '') }
  },
})

async function fromFile(ctx: NodeContext, path: string): Promise<AssetRef> {
  const absolute = await ctx.localFile(path)
  const info = await inspectVideoFile(absolute, `file ${path}`, ctx.signal)
  return storeFile(ctx, absolute, info, basename(path))
}

async function fromUrl(ctx: NodeContext, url: string): Promise<AssetRef> {
  const shown = displayUrl(url)
  return withTempDir(async (dir) => {
    const file = join(dir, 'download')
    await downloadToFile(ctx, url, file, MAX_DOWNLOAD_BYTES)
    const info = await inspectVideoFile(file, shown, ctx.signal)
    return storeFile(ctx, file, info, fileNameOf(new URL(url).pathname))
  })
}

/** Re-describes an existing asset (uploads often arrive as `application/octet-stream`). */
async function fromAsset(ctx: NodeContext, assetId: string): Promise<AssetRef> {
  const ref = await ctx.assets.get(assetId)
  const info = await inspectVideoFile(await ctx.assets.localPath(ref), `asset ${assetId}`, ctx.signal)
  const described =
    ref.kind === 'video' &&
    ref.mime === info.mime &&
    ref.width === info.width &&
    ref.height === info.height &&
    ref.durationMs === info.durationMs
  if (described) return ref
  return ctx.assets.put(ctx.assets.stream(ref), assetMeta(info))
}

function storeFile(ctx: NodeContext, path: string, info: VideoFileInfo, name: string | undefined): Promise<AssetRef> {
  throwIfAborted(ctx.signal)
  return ctx.assets.put(createReadStream(path), { ...assetMeta(info), ...(name ? { name } : {}) })
}

function assetMeta(info: VideoFileInfo) {
  return {
    kind: 'video' as const,
    mime: info.mime,
    width: info.width,
    height: info.height,
    ...(info.durationMs === undefined ? {} : { durationMs: info.durationMs }),
  }
}
