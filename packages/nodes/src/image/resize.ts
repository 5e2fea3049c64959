import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { requireImage, transformImage } from './sharp-image.ts'

/** Keeps a single resize from allocating gigabytes. */
const MAX_SIDE = 16_384
const side = z.number().int().positive().max(MAX_SIDE)

/**
 * `image.resize`: scales an image to a width and/or height, keeping its format. With only one
 * side given, the other follows the aspect ratio. `fit` decides how both sides are met:
 * `cover` crops to fill, `contain` letterboxes, `fill` stretches, `inside` / `outside` keep
 * the aspect ratio so the result fits within / covers the box.
 */
export const imageResize = defineNode({
  type: 'image.resize',
  version: 1,
  category: 'image',
  title: 'Resize',
  description: 'Scales an image to a width and/or height.',
  inputs: { image: { type: 'image', required: true } },
  outputs: { image: { type: 'image' } },
  params: z
    .object({
      width: side.optional().describe('Target width in pixels.'),
      height: side.optional().describe('Target height in pixels.'),
      fit: z
        .enum(['cover', 'contain', 'fill', 'inside', 'outside'])
        .default('cover')
        .describe('How the image fits a box given by both width and height.'),
    })
    .refine((params) => params.width !== undefined || params.height !== undefined, {
      error: 'set "width", "height" or both',
    }),
  async run({ inputs, params, ctx }) {
    const source = requireImage(inputs.image, 'image')
    const image = await transformImage(ctx, source, (pipeline) =>
      pipeline.resize({ width: params.width, height: params.height, fit: params.fit }),
    )
    return { image }
  },
})
