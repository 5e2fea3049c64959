import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { requireImage, transformImage } from './sharp-image.ts'

/**
 * `image.flip`: mirrors an image, keeping its format and size. `horizontal` swaps left and
 * right, `vertical` swaps top and bottom, `both` does both (the same as rotating by 180°).
 */
export const imageFlip = defineNode({
  type: 'image.flip',
  version: 1,
  category: 'image',
  title: 'Flip',
  description: 'Mirrors an image horizontally, vertically or both.',
  inputs: { image: { type: 'image', required: true } },
  outputs: { image: { type: 'image' } },
  params: z.object({
    direction: z
      .enum(['horizontal', 'vertical', 'both'])
      .default('horizontal')
      .describe('horizontal swaps left and right; vertical swaps top and bottom.'),
  }),
  async run({ inputs, params, ctx }) {
    const source = requireImage(inputs.image, 'image')
    const horizontal = params.direction !== 'vertical'
    const vertical = params.direction !== 'horizontal'
    // sharp's flop mirrors left–right and its flip top–bottom.
    const image = await transformImage(ctx, source, (pipeline) => pipeline.flop(horizontal).flip(vertical))
    return { image }
  },
})
