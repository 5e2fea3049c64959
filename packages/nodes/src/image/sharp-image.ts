import { type AssetRef, isAssetRef, type NodeContext, NodeError } from '@patchbay/core'
import sharp, { type Metadata, type Sharp } from 'sharp'
import { throwIfAborted } from '../support/abort.ts'

/** MIME types of the raster formats image nodes accept, by sharp's format name. */
const mimeByFormat: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  tiff: 'image/tiff',
  // sharp's bundled libheif encodes AV1 only, so the HEIF it writes is AVIF.
  heif: 'image/avif',
}
const supportedMimes = new Set(Object.values(mimeByFormat))
const SUPPORTED_LIST = 'JPEG, PNG, WebP, GIF, AVIF or TIFF'

export interface ImageInfo {
  mime: string
  width: number
  height: number
}

/**
 * Checks that `bytes` are a complete image in a supported format and returns its MIME type
 * and displayed size (EXIF orientation applied). Decodes every pixel, because a truncated
 * file usually has an intact header. `source` names the bytes in error messages.
 */
export async function inspectImage(bytes: Uint8Array, source: string): Promise<ImageInfo> {
  if (bytes.byteLength === 0) throw new NodeError('INVALID_IMAGE', `${source} is empty, not an image`)
  let metadata: Metadata
  try {
    metadata = await sharp(bytes).metadata()
  } catch (cause) {
    throw new NodeError('INVALID_IMAGE', `${source} is not a supported image (${reasonOf(cause)})`, { cause })
  }
  const mime = metadata.mediaType ?? mimeByFormat[metadata.format] ?? metadata.format
  if (!supportedMimes.has(mime)) {
    throw new NodeError(
      'INVALID_IMAGE',
      `${source} is not a supported image: it is ${mime}, expected ${SUPPORTED_LIST}`,
    )
  }
  try {
    await sharp(bytes).stats()
  } catch (cause) {
    throw new NodeError('INVALID_IMAGE', `${source} is a damaged or truncated image (${reasonOf(cause)})`, { cause })
  }
  return { mime, width: metadata.autoOrient.width, height: metadata.autoOrient.height }
}

/** Narrows an input value to an image reference, failing clearly when something else arrived. */
export function requireImage(value: unknown, input: string): AssetRef {
  if (!isAssetRef(value) || value.kind !== 'image') {
    throw new NodeError(
      'INVALID_INPUT',
      `input "${input}" must be an image, got ${isAssetRef(value) ? value.kind : typeof value}`,
    )
  }
  return value
}

/** The displayed size of a stored image (EXIF orientation applied). */
export async function imageSize(ctx: NodeContext, ref: AssetRef): Promise<{ width: number; height: number }> {
  const path = await ctx.assets.localPath(ref)
  const metadata = await decoding(ref, () => sharp(path).metadata())
  return metadata.autoOrient
}

/**
 * Runs a sharp pipeline on a stored image and stores the result, in the input's format when
 * sharp can write it. Orientation is applied first, so the pipeline works in displayed
 * coordinates and the output needs no EXIF orientation.
 */
export async function transformImage(
  ctx: NodeContext,
  ref: AssetRef,
  pipeline: (image: Sharp) => Sharp,
): Promise<AssetRef> {
  throwIfAborted(ctx.signal)
  const path = await ctx.assets.localPath(ref)
  const { data, info } = await decoding(ref, () =>
    pipeline(sharp(path, { autoOrient: true })).toBuffer({ resolveWithObject: true }),
  )
  // sharp cannot be interrupted; at least do not store a result nobody waits for.
  throwIfAborted(ctx.signal)
  const mime = mimeByFormat[info.format] ?? (await sharp(data).metadata()).mediaType ?? 'application/octet-stream'
  return ctx.assets.put(data, { mime, width: info.width, height: info.height })
}

/** Runs sharp work on a stored image, turning its failures into a non-retryable `INVALID_IMAGE`. */
async function decoding<T>(ref: AssetRef, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (cause) {
    throw new NodeError('INVALID_IMAGE', `image ${ref.assetId} could not be decoded (${reasonOf(cause)})`, { cause })
  }
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n')[0]?.trim() || 'unknown error'
}
