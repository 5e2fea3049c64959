import { type AssetRef, defineNode } from '@patchbay/core'
import { z } from 'zod'
import { decodeRaw, encodeImage, fromRaw, outputFormatOf, readMetadata, requireImage } from './sharp-image.ts'

type Channel = 'red' | 'green' | 'blue' | 'alpha'

/**
 * `image.channels`: splits an image into its red, green, blue and alpha channels, each a
 * single-channel greyscale image of the same size and format (a pure red image gives a white
 * `red`, black `green` and `blue`). A greyscale input gives three equal channels. `alpha` is
 * produced only when the image has an alpha channel; otherwise that output is inactive.
 */
export const imageChannels = defineNode({
  type: 'image.channels',
  version: 1,
  category: 'image',
  title: 'Split channels',
  description: 'Splits an image into red, green, blue and alpha greyscale images.',
  inputs: { image: { type: 'image', required: true } },
  outputs: {
    red: { type: 'image' },
    green: { type: 'image' },
    blue: { type: 'image' },
    alpha: { type: 'image', description: 'Only when the image has an alpha channel' },
  },
  params: z.object({}),
  async run({ inputs, ctx }) {
    const source = requireImage(inputs.image, 'image')
    const format = outputFormatOf(await readMetadata(ctx, source))
    const pixels = await decodeRaw(ctx, source)
    const channels: Channel[] = ['red', 'green', 'blue']
    if (pixels.info.channels === 4) channels.push('alpha')
    const outputs: Partial<Record<Channel, AssetRef>> = {}
    for (const [index, channel] of channels.entries()) {
      outputs[channel] = await encodeImage(ctx, fromRaw(pixels).extractChannel(channel).toFormat(format))
      ctx.progress((index + 1) / channels.length)
    }
    return outputs
  },
})
