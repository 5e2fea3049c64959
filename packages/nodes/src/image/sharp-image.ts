import { type AssetRef, type NodeContext, NodeError } from '@patchbay/core'
import sharp, { type Metadata, type OutputInfo, type Sharp } from 'sharp'
import { z } from 'zod'
import { throwIfAborted } from '../support/abort.ts'
import { requireMedia } from '../support/media-input.ts'
import { reasonOf } from '../support/reason.ts'

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

/** The formats image nodes write, by the name sharp's `toFormat` takes. */
export const writableFormats = ['png', 'jpeg', 'webp', 'avif', 'gif', 'tiff'] as const
export type WritableFormat = (typeof writableFormats)[number]

export interface ImageInfo {
  mime: string
  width: number
  height: number
}

/** Pixels decoded by {@link decodeRaw}: 8 bits per channel, rows top to bottom, no padding. */
export interface RawImage {
  data: Buffer
  info: { width: number; height: number; channels: 1 | 2 | 3 | 4 }
}

/**
 * A colour param (hex such as `#ff000080`, `rgb()`/`hsl()`, a CSS name or `transparent`),
 * checked with sharp's own parser so a typo fails validation instead of the run.
 */
export function colourParam() {
  return z
    .string()
    .refine(isColour, { error: 'expected a colour such as "#ff8800", "#00000080", "rgb(255 136 0)" or "orange"' })
}

function isColour(value: string): boolean {
  if (!/^(#[0-9a-f]{3,8}|[a-z]+|(rgb|rgba|hsl|hsla)\([\d\s.,%/+-]+\))$/i.test(value)) return false
  try {
    sharp({ create: { width: 1, height: 1, channels: 4, background: value } })
    return true
  } catch {
    return false
  }
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
  const mime = mimeOf(metadata)
  if (!supportedMimes.has(mime)) {
    throw new NodeError(
      'INVALID_IMAGE',
      `${source} is not a supported image: it is ${mime}, expected ${SUPPORTED_LIST}`,
    )
  }
  try {
    // Every byte is decoded (that is what finds a truncated file), but into a small size:
    // JPEG then decodes at 1/8 scale, 15× faster on a 4096² photo than a full decode.
    await sharp(bytes, { failOn: 'truncated' }).resize(256, 256, { fit: 'inside' }).raw().toBuffer()
  } catch (cause) {
    throw new NodeError('INVALID_IMAGE', `${source} is a damaged or truncated image (${reasonOf(cause)})`, { cause })
  }
  return { mime, width: metadata.autoOrient.width, height: metadata.autoOrient.height }
}

/** Narrows an input value to an image reference, failing clearly when something else arrived. */
export function requireImage(value: unknown, input: string): AssetRef {
  return requireMedia(value, 'image', input)
}

/** The header of a stored image (format, channels, …); does not decode the pixels. */
export async function readMetadata(ctx: NodeContext, ref: AssetRef): Promise<Metadata> {
  throwIfAborted(ctx.signal)
  const path = await ctx.assets.localPath(ref)
  return decoding(ref, () => sharp(path).metadata())
}

/** The displayed size of a stored image (EXIF orientation applied). */
export async function imageSize(ctx: NodeContext, ref: AssetRef): Promise<{ width: number; height: number }> {
  return (await readMetadata(ctx, ref)).autoOrient
}

/** The MIME type of the format in `metadata` (AVIF, not HEIF, for sharp's `heif`). */
export function mimeOf(metadata: Pick<Metadata, 'format' | 'mediaType'>): string {
  return metadata.mediaType ?? mimeByFormat[metadata.format] ?? metadata.format
}

/** The format to write a result in: the input's when sharp can write it, else PNG (e.g. for SVG). */
export function outputFormatOf(metadata: Pick<Metadata, 'format'>): WritableFormat {
  if (metadata.format === 'heif') return 'avif'
  return (writableFormats as readonly string[]).includes(metadata.format) ? (metadata.format as WritableFormat) : 'png'
}

/**
 * Runs a sharp pipeline on a stored image and stores the result, in the input's format when
 * sharp can write it (the pipeline may choose another with `toFormat`). Orientation is applied
 * first, so the pipeline works in displayed coordinates and the output needs no EXIF orientation.
 */
export async function transformImage(
  ctx: NodeContext,
  ref: AssetRef,
  pipeline: (image: Sharp) => Sharp,
): Promise<AssetRef> {
  const image = pipeline(await openImage(ctx, ref))
  return storeImage(ctx, await decoding(ref, () => image.toBuffer({ resolveWithObject: true })))
}

/**
 * Decodes a stored image to 8-bit pixels (orientation applied) after an optional pipeline, for
 * nodes that cut, join or combine images. Channels: 3 (sRGB) or 1 (`b-w`), plus alpha if any.
 */
export async function decodeRaw(
  ctx: NodeContext,
  ref: AssetRef,
  pipeline: (image: Sharp) => Sharp = (image) => image,
  colourspace: 'srgb' | 'b-w' = 'srgb',
): Promise<RawImage> {
  const image = pipeline(await openImage(ctx, ref)).toColourspace(colourspace)
  const { data, info } = await decoding(ref, () => image.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true }))
  throwIfAborted(ctx.signal)
  return { data, info: { width: info.width, height: info.height, channels: info.channels } }
}

/** A sharp pipeline that starts from decoded pixels. */
export function fromRaw(raw: RawImage): Sharp {
  return sharp(raw.data, { raw: raw.info })
}

/** Encodes a pipeline built by the node itself (not from a stored image) and stores the result. */
export async function encodeImage(ctx: NodeContext, image: Sharp): Promise<AssetRef> {
  return storeImage(ctx, await image.toBuffer({ resolveWithObject: true }))
}

async function openImage(ctx: NodeContext, ref: AssetRef): Promise<Sharp> {
  throwIfAborted(ctx.signal)
  return sharp(await ctx.assets.localPath(ref), { autoOrient: true })
}

async function storeImage(ctx: NodeContext, { data, info }: { data: Buffer; info: OutputInfo }): Promise<AssetRef> {
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
