import sharp from 'sharp'

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'avif' | 'tiff'

/**
 * Encodes a `width`×`height` image whose left half is `left` and right half `right` (CSS
 * colour names or hex), for tests that check real pixels after a transform.
 */
export async function splitImage(options: {
  width: number
  height: number
  format?: ImageFormat
  left?: string
  right?: string
}): Promise<Uint8Array> {
  const { width, height, format = 'png', left = '#ff0000', right = '#0000ff' } = options
  const half = Math.floor(width / 2)
  const buffer = await sharp({ create: { width, height, channels: 3, background: right } })
    .composite([{ input: { create: { width: half, height, channels: 3, background: left } }, left: 0, top: 0 }])
    .toFormat(format)
    .toBuffer()
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

/** Decodes an image to RGB pixels, with a reader for one pixel. */
export async function decodePixels(bytes: Uint8Array): Promise<{
  width: number
  height: number
  format: string
  pixel(x: number, y: number): [number, number, number]
}> {
  const format = (await sharp(bytes).metadata()).format
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  return {
    width: info.width,
    height: info.height,
    format,
    pixel(x, y) {
      const at = (y * info.width + x) * info.channels
      return [data[at] ?? -1, data[at + 1] ?? -1, data[at + 2] ?? -1]
    },
  }
}

/** Whether an RGB pixel is close to a pure colour (lossy formats shift values a little). */
export function isColour(pixel: [number, number, number], colour: 'red' | 'blue', tolerance = 40): boolean {
  const [r, g, b] = pixel
  const target = colour === 'red' ? [255, 0, 0] : [0, 0, 255]
  return Math.abs(r - (target[0] ?? 0)) <= tolerance && g <= tolerance && Math.abs(b - (target[2] ?? 0)) <= tolerance
}
