import { type AssetRef, defineNode, NodeError } from '@patchbay/core'
import { z } from 'zod'
import { decodeRaw, encodeImage, fromRaw, outputFormatOf, readMetadata, requireImage } from './sharp-image.ts'

const count = z.number().int().min(1).max(64)

/**
 * `image.splitGrid`: cuts an image into `rows` × `columns` tiles, listed row by row from the
 * top left, each in the input's format. Every tile is `floor(width / columns)` ×
 * `floor(height / rows)` pixels except the last column and row, which take the remainder, so
 * the tiles cover the image exactly. An image smaller than one pixel per tile fails with
 * `EMPTY_CROP`, not retried.
 */
export const imageSplitGrid = defineNode({
  type: 'image.splitGrid',
  version: 1,
  category: 'image',
  title: 'Split into grid',
  description: 'Cuts an image into a grid of tiles.',
  inputs: { image: { type: 'image', required: true } },
  outputs: { images: { type: 'image', list: true, description: 'The tiles, row by row' } },
  params: z.object({
    rows: count.default(2).describe('Number of rows of tiles.'),
    columns: count.default(2).describe('Number of columns of tiles.'),
  }),
  async run({ inputs, params, ctx }) {
    const source = requireImage(inputs.image, 'image')
    const format = outputFormatOf(await readMetadata(ctx, source))
    const pixels = await decodeRaw(ctx, source)
    const { width, height } = pixels.info
    if (width < params.columns || height < params.rows) {
      throw new NodeError(
        'EMPTY_CROP',
        `a ${width}×${height} image cannot be split into ${params.rows} rows and ${params.columns} columns`,
        { details: { width, height, rows: params.rows, columns: params.columns } },
      )
    }
    const columns = spans(width, params.columns)
    const rows = spans(height, params.rows)
    const images: AssetRef[] = []
    for (const row of rows) {
      for (const column of columns) {
        const tile = { left: column.start, width: column.size, top: row.start, height: row.size }
        images.push(await encodeImage(ctx, fromRaw(pixels).extract(tile).toFormat(format)))
        ctx.progress(images.length / (rows.length * columns.length))
      }
    }
    return { images }
  },
})

/** Splits `length` pixels into `parts` equal spans; the last one takes the remainder. */
export function spans(length: number, parts: number): { start: number; size: number }[] {
  const size = Math.floor(length / parts)
  return Array.from({ length: parts }, (_, index) => ({
    start: index * size,
    size: index === parts - 1 ? length - index * size : size,
  }))
}
