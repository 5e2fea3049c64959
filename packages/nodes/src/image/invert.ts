import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { requireImage, transformImage } from './sharp-image.ts'

/**
 * `image.invert`: replaces every colour channel value v with 255 − v (a photographic
 * negative: red becomes cyan), keeping the format, size and alpha channel unchanged.
 */
export const imageInvert = defineNode({
  type: 'image.invert',
  version: 1,
  category: 'image',
  title: 'Invert',
  description: 'Inverts the colours of an image, keeping its transparency.',
  inputs: { image: { type: 'image', required: true } },
  outputs: { image: { type: 'image' } },
  params: z.object({}),
  async run({ inputs, ctx }) {
    const source = requireImage(inputs.image, 'image')
    return { image: await transformImage(ctx, source, (pipeline) => pipeline.negate({ alpha: false })) }
  },
})
