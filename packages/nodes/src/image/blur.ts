import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { requireImage, transformImage } from './sharp-image.ts'

/**
 * `image.blur`: a Gaussian blur, keeping the image's format and size. `sigma` is the standard
 * deviation in pixels, so the same value blurs a large image relatively less.
 */
export const imageBlur = defineNode({
  type: 'image.blur',
  version: 1,
  category: 'image',
  title: 'Blur',
  description: 'Blurs an image with a Gaussian of the given sigma.',
  inputs: { image: { type: 'image', required: true } },
  outputs: { image: { type: 'image' } },
  params: z.object({
    sigma: z.number().min(0.3).max(1000).default(3).describe('Standard deviation of the Gaussian, in pixels.'),
  }),
  async run({ inputs, params, ctx }) {
    const source = requireImage(inputs.image, 'image')
    return { image: await transformImage(ctx, source, (pipeline) => pipeline.blur(params.sigma)) }
  },
})
