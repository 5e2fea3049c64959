import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { requireImage, transformImage, writableFormats } from './sharp-image.ts'

/** The formats whose encoders take a quality. */
const lossy = new Set(['jpeg', 'webp', 'avif'])

/**
 * `image.convert`: re-encodes an image as PNG, JPEG, WebP, AVIF, GIF or TIFF, keeping its size.
 * `quality` (1–100) applies to JPEG, WebP and AVIF and is ignored by the lossless formats.
 * JPEG has no alpha, so a transparent image is flattened onto white. Animated images keep
 * their first frame only.
 */
export const imageConvert = defineNode({
  type: 'image.convert',
  version: 1,
  category: 'image',
  title: 'Convert format',
  description: 'Re-encodes an image in another format.',
  inputs: { image: { type: 'image', required: true } },
  outputs: { image: { type: 'image' } },
  params: z.object({
    format: z.enum(writableFormats).describe('The format to write.'),
    quality: z
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe('Encoder quality for JPEG, WebP and AVIF (the encoder default when unset).'),
  }),
  async run({ inputs, params, ctx }) {
    const source = requireImage(inputs.image, 'image')
    const { format, quality } = params
    const options = quality !== undefined && lossy.has(format) ? { quality } : {}
    const image = await transformImage(ctx, source, (pipeline) => {
      const flattened = format === 'jpeg' ? pipeline.flatten({ background: '#ffffff' }) : pipeline
      return flattened.toFormat(format, options)
    })
    return { image }
  },
})
