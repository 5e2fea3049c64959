import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { requireImage, transformImage } from './sharp-image.ts'

/**
 * `image.grayscale`: removes colour, keeping the format, size and alpha. The result is still
 * an RGB image whose three channels are equal, so every consumer reads it like the input.
 */
export const imageGrayscale = defineNode({
  type: 'image.grayscale',
  version: 1,
  category: 'image',
  title: 'Grayscale',
  description: 'Converts an image to shades of grey.',
  inputs: { image: { type: 'image', required: true } },
  outputs: { image: { type: 'image' } },
  params: z.object({}),
  async run({ inputs, ctx }) {
    const source = requireImage(inputs.image, 'image')
    return { image: await transformImage(ctx, source, (pipeline) => pipeline.grayscale()) }
  },
})
