import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { decodeRaw, encodeImage, fromRaw, outputFormatOf, readMetadata, requireImage } from './sharp-image.ts'

/**
 * `image.mask`: makes the mask's brightness the image's transparency: white keeps a pixel,
 * black makes it transparent, grey in between (`invert` swaps the two). The mask is stretched
 * to the image's size and its own transparent areas count as black; the image's previous alpha
 * is replaced. The result keeps the image's format when that holds partial transparency
 * (PNG, WebP, AVIF, TIFF); JPEG, which has no alpha, and GIF, whose alpha is on/off only,
 * become PNG.
 */
export const imageMask = defineNode({
  type: 'image.mask',
  version: 1,
  category: 'image',
  title: 'Mask',
  description: 'Uses a greyscale mask as the transparency of an image.',
  inputs: {
    image: { type: 'image', required: true },
    mask: { type: 'image', required: true, description: 'White = keep, black = transparent' },
  },
  outputs: { image: { type: 'image' } },
  params: z.object({
    invert: z.boolean().default(false).describe('Make black keep and white transparent instead.'),
  }),
  async run({ inputs, params, ctx }) {
    const source = requireImage(inputs.image, 'image')
    const maskSource = requireImage(inputs.mask, 'mask')
    const inputFormat = outputFormatOf(await readMetadata(ctx, source))
    const format = inputFormat === 'jpeg' || inputFormat === 'gif' ? 'png' : inputFormat
    const pixels = await decodeRaw(ctx, source, (image) => image.removeAlpha())
    const { width, height } = pixels.info
    const mask = await decodeRaw(
      ctx,
      maskSource,
      (image) => image.resize(width, height, { fit: 'fill' }).flatten({ background: '#000000' }),
      'b-w',
    )
    if (params.invert) invertBytes(mask.data)
    const masked = fromRaw(pixels).joinChannel(mask.data, { raw: mask.info }).toFormat(format)
    return { image: await encodeImage(ctx, masked) }
  },
})

function invertBytes(data: Buffer): void {
  for (let index = 0; index < data.length; index++) data[index] = 255 - (data[index] ?? 0)
}
