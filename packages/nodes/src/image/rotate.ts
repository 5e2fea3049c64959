import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { colourParam, requireImage, transformImage } from './sharp-image.ts'

/**
 * `image.rotate`: turns an image clockwise by `angle` degrees (negative turns anticlockwise),
 * keeping its format. Multiples of 90 are lossless and swap width and height; any other angle
 * grows the canvas to the rotated bounding box and fills the corners with `background`.
 * Formats without alpha (JPEG) show a transparent background as black.
 */
export const imageRotate = defineNode({
  type: 'image.rotate',
  version: 1,
  category: 'image',
  title: 'Rotate',
  description: 'Rotates an image clockwise by any angle.',
  inputs: { image: { type: 'image', required: true } },
  outputs: { image: { type: 'image' } },
  params: z.object({
    angle: z.number().finite().default(90).describe('Degrees clockwise; negative turns anticlockwise.'),
    background: colourParam()
      .default('#00000000')
      .describe('Fills the corners uncovered by angles that are not multiples of 90.'),
  }),
  async run({ inputs, params, ctx }) {
    const source = requireImage(inputs.image, 'image')
    const angle = ((params.angle % 360) + 360) % 360
    const image = await transformImage(ctx, source, (pipeline) =>
      pipeline.rotate(angle, { background: params.background }),
    )
    return { image }
  },
})
