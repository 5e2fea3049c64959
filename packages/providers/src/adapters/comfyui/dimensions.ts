import { NodeError } from '@patchbay/core'
import { parseSize } from '../size.ts'

const megapixel = 1024 * 1024

/** Width and height for the latent: an explicit `WxH`, else ~1 MP at the aspect ratio, else 1024×1024. */
export function dimensionsFor(request: { size?: string; aspectRatio?: string }): { width: number; height: number } {
  if (request.size) {
    const size = parseSize(request.size)
    if (!size) throw new NodeError('INVALID_INPUT', `invalid size "${request.size}"; expected WIDTHxHEIGHT`)
    // Latents are 1/8 of the image size, so the pixels must divide by 8.
    return { width: roundTo(size.width, 8), height: roundTo(size.height, 8) }
  }
  if (request.aspectRatio) {
    const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(request.aspectRatio)
    if (!match) throw new NodeError('INVALID_INPUT', `invalid aspect ratio "${request.aspectRatio}"; expected W:H`)
    const ratio = Number(match[1]) / Number(match[2])
    return { width: roundTo(Math.sqrt(megapixel * ratio), 64), height: roundTo(Math.sqrt(megapixel / ratio), 64) }
  }
  return { width: 1024, height: 1024 }
}

function roundTo(value: number, step: number): number {
  return Math.max(step, Math.round(value / step) * step)
}
