import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { requireImage, transformImage } from './sharp-image.ts'

/**
 * `image.sharpen`: an unsharp mask on the image's lightness, keeping its format and size.
 * `sigma` is the mask's radius in pixels; `amount` is how strongly edges are sharpened
 * (sharp's `m2`, 2 when unset) while flat areas get sharp's default, so noise stays quiet.
 */
export const imageSharpen = defineNode({
  type: 'image.sharpen',
  version: 1,
  category: 'image',
  title: 'Sharpen',
  description: 'Sharpens edges with an unsharp mask.',
  inputs: { image: { type: 'image', required: true } },
  outputs: { image: { type: 'image' } },
  params: z.object({
    sigma: z.number().min(0.5).max(10).default(1).describe('Radius of the mask: sigma of its Gaussian, in pixels.'),
    amount: z.number().min(0).max(10).optional().describe('How strongly edges are sharpened (default 2).'),
  }),
  async run({ inputs, params, ctx }) {
    const source = requireImage(inputs.image, 'image')
    const options = { sigma: params.sigma, ...(params.amount === undefined ? {} : { m2: params.amount }) }
    return { image: await transformImage(ctx, source, (pipeline) => pipeline.sharpen(options)) }
  },
})
