import { defineNode, NodeError } from '@patchbay/core'
import sharp, { type OverlayOptions } from 'sharp'
import { z } from 'zod'
import { colourParam, decodeRaw, encodeImage, outputFormatOf, readMetadata, requireImage } from './sharp-image.ts'

/** Keeps a contact sheet from allocating gigabytes. */
const MAX_SIDE = 16_384
const TRANSPARENT = { r: 0, g: 0, b: 0, alpha: 0 }

/**
 * `image.grid`: lays images out as a contact sheet, in input order, row by row from the top
 * left. Every cell is `cellWidth` × `cellHeight` pixels; `cellHeight` defaults to keeping the
 * first image's aspect ratio. `fit: contain` shows each image whole on the `background`;
 * `cover` fills the cell and crops the centre. `columns` defaults to a near-square layout
 * (⌈√n⌉). The sheet is written in the first image's format. A sheet wider or taller than
 * 16384 pixels fails with `IMAGE_TOO_LARGE`, not retried.
 */
export const imageGrid = defineNode({
  type: 'image.grid',
  version: 1,
  category: 'image',
  title: 'Grid',
  description: 'Lays images out in a grid (contact sheet).',
  inputs: { images: { type: 'image', required: true, multiple: true, description: 'Cells, in edge order' } },
  outputs: { image: { type: 'image' } },
  params: z.object({
    columns: z.number().int().min(1).max(256).optional().describe('Cells per row (default ⌈√n⌉).'),
    cellWidth: z.number().int().min(1).max(MAX_SIDE).default(256).describe('Width of each cell in pixels.'),
    cellHeight: z
      .number()
      .int()
      .min(1)
      .max(MAX_SIDE)
      .optional()
      .describe('Height of each cell in pixels (default: the first image’s aspect ratio).'),
    gap: z.number().int().min(0).max(1024).default(0).describe('Space between cells in pixels.'),
    background: colourParam().default('#000000').describe('Colour of the gaps, empty cells and letterboxing.'),
    fit: z
      .enum(['cover', 'contain'])
      .default('contain')
      .describe('contain shows each image whole; cover fills the cell, cropping the centre.'),
  }),
  async run({ inputs, params, ctx }) {
    const sources = inputs.images.map((image, index) => requireImage(image, `images[${index}]`))
    const first = sources[0]
    if (!first) throw new NodeError('INVALID_INPUT', 'input "images" needs at least one image')
    const columns = params.columns ?? Math.ceil(Math.sqrt(sources.length))
    const rows = Math.ceil(sources.length / columns)
    const firstMetadata = await readMetadata(ctx, first)
    const { cellWidth } = params
    const aspect = firstMetadata.autoOrient.height / firstMetadata.autoOrient.width
    const cellHeight = params.cellHeight ?? Math.max(1, Math.round(cellWidth * aspect))
    const width = columns * cellWidth + (columns - 1) * params.gap
    const height = rows * cellHeight + (rows - 1) * params.gap
    if (width > MAX_SIDE || height > MAX_SIDE) {
      throw new NodeError('IMAGE_TOO_LARGE', `the grid would be ${width}×${height} pixels; the limit is ${MAX_SIDE}`, {
        details: { width, height },
      })
    }

    const cells: OverlayOptions[] = []
    for (const [index, source] of sources.entries()) {
      const cell = await decodeRaw(ctx, source, (image) =>
        image.resize(cellWidth, cellHeight, { fit: params.fit, background: TRANSPARENT }).ensureAlpha(),
      )
      const left = (index % columns) * (cellWidth + params.gap)
      const top = Math.floor(index / columns) * (cellHeight + params.gap)
      cells.push({ input: cell.data, raw: cell.info, left, top })
      ctx.progress((index + 1) / (sources.length + 1))
    }
    const format = outputFormatOf(firstMetadata)
    const sheet = sharp({ create: { width, height, channels: 4, background: params.background } })
    return { image: await encodeImage(ctx, sheet.composite(cells).toFormat(format)) }
  },
})
