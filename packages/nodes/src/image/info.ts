import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { mimeOf, readMetadata, requireImage } from './sharp-image.ts'

/**
 * `image.info`: reports an image's properties from its header, without decoding the pixels
 * (so a truncated file whose header is intact is not detected here). Width and height are as
 * displayed (EXIF orientation applied). `info` is
 * `{ width, height, format, mime, channels, hasAlpha, bytes, density? }`: `format` is the
 * file type (`jpeg`, `png`, `webp`, `gif`, `avif`, `tiff`, …), `channels` counts alpha, and
 * `density` is the DPI the file declares, when it declares one.
 */
export const imageInfo = defineNode({
  type: 'image.info',
  version: 1,
  category: 'image',
  title: 'Image info',
  description: 'Reports the size, format and channels of an image.',
  inputs: { image: { type: 'image', required: true } },
  outputs: {
    info: { type: 'json', description: '{ width, height, format, mime, channels, hasAlpha, bytes, density? }' },
    width: { type: 'number', description: 'Displayed width in pixels' },
    height: { type: 'number', description: 'Displayed height in pixels' },
  },
  params: z.object({}),
  async run({ inputs, ctx }) {
    const source = requireImage(inputs.image, 'image')
    const metadata = await readMetadata(ctx, source)
    const { width, height } = metadata.autoOrient
    const mime = mimeOf(metadata)
    const info = {
      width,
      height,
      format: mime.startsWith('image/') ? mime.slice('image/'.length).replace(/\+.*$/, '') : metadata.format,
      mime,
      channels: metadata.channels,
      hasAlpha: metadata.hasAlpha,
      bytes: source.bytes,
      ...(metadata.density === undefined ? {} : { density: metadata.density }),
    }
    return { info, width, height }
  },
})
