import type { AssetRef } from '@patchbay/core'
import sharp from 'sharp'
import { expect } from 'vitest'
import type { TestContext } from '../testing/test-context.ts'
import type { ImageFormat } from '../testing/test-images.ts'
import { mimeOf } from './sharp-image.ts'

export type Rgba = [number, number, number, number]

/** An asset that is not an image, for checking that nodes reject it. */
export const audioRef = { assetId: 'a', kind: 'audio', mime: 'audio/mpeg', bytes: 1, sha256: 'f'.repeat(64) } as const

/** Stores encoded image bytes in the test's asset store, with their real format and size. */
export async function storeImage(test: TestContext, bytes: Uint8Array): Promise<AssetRef> {
  const metadata = await sharp(bytes).metadata()
  return test.ctx.assets.put(bytes, { mime: mimeOf(metadata), width: metadata.width, height: metadata.height })
}

/** Stores bytes that claim to be a PNG but are not an image. */
export function storeGarbage(test: TestContext): Promise<AssetRef> {
  return test.ctx.assets.put(new TextEncoder().encode('<html>nope</html>'), { mime: 'image/png' })
}

/** A `width`×`height` image of one colour (any CSS colour; a translucent one gives an alpha channel). */
export async function solidImage(
  width: number,
  height: number,
  colour: string,
  format: ImageFormat = 'png',
): Promise<Uint8Array> {
  const translucent = /^#([0-9a-f]{4}|[0-9a-f]{8})$/i.test(colour) || colour === 'transparent'
  const buffer = await sharp({ create: { width, height, channels: translucent ? 4 : 3, background: colour } })
    .toFormat(format)
    .toBuffer()
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

/** A blue `width`×`height` PNG whose top-left quarter is red. */
export async function redCornerImage(width: number, height: number): Promise<Uint8Array> {
  const corner = {
    width: Math.floor(width / 2),
    height: Math.floor(height / 2),
    channels: 3,
    background: '#ff0000',
  } as const
  const buffer = await sharp({ create: { width, height, channels: 3, background: '#0000ff' } })
    .composite([{ input: { create: corner }, left: 0, top: 0 }])
    .png()
    .toBuffer()
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

/**
 * Decodes an image to sRGB plus alpha (255 when it has none), with a reader for one pixel.
 * `channels` and `format` describe the encoded file.
 */
export async function decodeRgba(bytes: Uint8Array): Promise<{
  width: number
  height: number
  format: string
  channels: number
  pixel(x: number, y: number): Rgba
}> {
  const { format, channels } = await sharp(bytes).metadata()
  const { data, info } = await sharp(bytes)
    .toColourspace('srgb')
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
  return {
    width: info.width,
    height: info.height,
    format,
    channels,
    pixel(x, y) {
      const at = (y * info.width + x) * 4
      return [data[at] ?? -1, data[at + 1] ?? -1, data[at + 2] ?? -1, data[at + 3] ?? -1]
    },
  }
}

/** Decodes a stored image with {@link decodeRgba}. */
export async function readImage(test: TestContext, ref: AssetRef | undefined) {
  if (!ref) throw new Error('the node produced no image')
  return decodeRgba(await test.ctx.assets.read(ref))
}

/** Expects each channel of `actual` within `tolerance` of `expected` (alpha too when given). */
export function expectPixel(actual: Rgba, expected: number[], tolerance = 2): void {
  const close = expected.every((value, index) => Math.abs((actual[index] ?? Number.NaN) - value) <= tolerance)
  if (!close) expect(actual.slice(0, expected.length)).toEqual(expected)
}
