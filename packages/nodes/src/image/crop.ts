import { defineNode, NodeError } from '@patchbay/core'
import { z } from 'zod'
import { imageSize, requireImage, transformImage } from './sharp-image.ts'

/** Tolerates float sums such as 0.7 + 0.3 that land a hair above 1. */
const EPSILON = 1e-9
const fraction = z.number().min(0).max(1)

/**
 * `image.crop`: cuts a rectangle out of an image. The rectangle is given in fractions of the
 * source's displayed size (0–1), so the same params fit any resolution. Its edges are rounded
 * to whole pixels; a crop that rounds to nothing fails with `EMPTY_CROP`, not retried.
 *
 * @example
 * // the middle 80%
 * { x: 0.1, y: 0.1, width: 0.8, height: 0.8 }
 */
export const imageCrop = defineNode({
  type: 'image.crop',
  version: 1,
  category: 'image',
  title: 'Crop',
  description: 'Cuts a rectangle out of an image, in fractions of its size.',
  inputs: { image: { type: 'image', required: true } },
  outputs: { image: { type: 'image' } },
  params: z
    .object({
      x: fraction.default(0).describe('Left edge, as a fraction of the width (0 = left).'),
      y: fraction.default(0).describe('Top edge, as a fraction of the height (0 = top).'),
      width: fraction.positive().default(1).describe('Width, as a fraction of the image width.'),
      height: fraction.positive().default(1).describe('Height, as a fraction of the image height.'),
    })
    .refine((params) => params.x + params.width <= 1 + EPSILON, {
      error: 'x + width must not exceed 1: the crop must stay inside the image',
      path: ['width'],
    })
    .refine((params) => params.y + params.height <= 1 + EPSILON, {
      error: 'y + height must not exceed 1: the crop must stay inside the image',
      path: ['height'],
    }),
  async run({ inputs, params, ctx }) {
    const source = requireImage(inputs.image, 'image')
    const size = await imageSize(ctx, source)
    const rect = pixelRect(params, size)
    if (rect.width === 0 || rect.height === 0) {
      throw new NodeError(
        'EMPTY_CROP',
        `the crop is ${rect.width}×${rect.height} pixels of a ${size.width}×${size.height} image; make it larger`,
        { details: { rect, size } },
      )
    }
    return { image: await transformImage(ctx, source, (pipeline) => pipeline.extract(rect)) }
  },
})

/**
 * Rounds the crop's edges (not its size) to pixels, so crops that share an edge in fractions
 * share it in pixels too and the rectangle never leaves the image.
 */
export function pixelRect(
  crop: { x: number; y: number; width: number; height: number },
  size: { width: number; height: number },
): { left: number; top: number; width: number; height: number } {
  const left = Math.min(Math.round(crop.x * size.width), size.width)
  const top = Math.min(Math.round(crop.y * size.height), size.height)
  const right = Math.min(Math.round((crop.x + crop.width) * size.width), size.width)
  const bottom = Math.min(Math.round((crop.y + crop.height) * size.height), size.height)
  return { left, top, width: Math.max(0, right - left), height: Math.max(0, bottom - top) }
}
