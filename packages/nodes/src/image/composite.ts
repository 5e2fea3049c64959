import { type AssetRef, defineNode, type NodeContext } from '@patchbay/core'
import type { Blend, OverlayOptions } from 'sharp'
import { z } from 'zod'
import { decodeRaw, imageSize, readMetadata, requireImage, transformImage } from './sharp-image.ts'

/** sharp's blend modes (Porter–Duff and the PDF separable modes), both spellings of colour. */
const blendModes = [
  'over',
  'multiply',
  'screen',
  'overlay',
  'darken',
  'lighten',
  'colour-dodge',
  'color-dodge',
  'colour-burn',
  'color-burn',
  'hard-light',
  'soft-light',
  'difference',
  'exclusion',
  'add',
  'saturate',
  'clear',
  'source',
  'in',
  'out',
  'atop',
  'dest',
  'dest-over',
  'dest-in',
  'dest-out',
  'dest-atop',
  'xor',
] as const satisfies readonly Blend[]

const fraction = z.number().min(0).max(1)

const layerParams = z.object({
  x: fraction.default(0).describe('Left edge, as a fraction of the base width (0 = left).'),
  y: fraction.default(0).describe('Top edge, as a fraction of the base height (0 = top).'),
  scale: z
    .number()
    .positive()
    .max(10)
    .optional()
    .describe('Layer width as a fraction of the base width, keeping its aspect ratio (default: natural size).'),
  opacity: fraction.default(1).describe('0 = invisible, 1 = as is.'),
  blend: z.enum(blendModes).default('over').describe('How the layer combines with what is below it.'),
})
type LayerParams = z.infer<typeof layerParams>
const defaultLayer = layerParams.parse({})

/**
 * `image.composite`: stacks `layers` on `base`, in edge order (the last is on top), keeping the
 * base's size and format. `params.layers[i]` places the i-th layer: its top-left corner at
 * (`x`, `y`) fractions of the base, `scale` × the base width wide (natural size when unset),
 * with `opacity` multiplying its alpha, combined by `blend`. Layers without an entry are
 * drawn at the top left at natural size; entries without a layer are ignored. Whatever
 * extends past the base is clipped.
 */
export const imageComposite = defineNode({
  type: 'image.composite',
  version: 1,
  category: 'image',
  title: 'Composite',
  description: 'Places image layers on a base image.',
  inputs: {
    base: { type: 'image', required: true },
    layers: { type: 'image', required: true, multiple: true, description: 'Stacked in edge order, last on top' },
  },
  outputs: { image: { type: 'image' } },
  params: z.object({
    layers: z.array(layerParams).default([]).describe('Placement of each layer, in the order of the layer edges.'),
  }),
  async run({ inputs, params, ctx }) {
    const base = requireImage(inputs.base, 'base')
    const layers = inputs.layers.map((layer, index) => requireImage(layer, `layers[${index}]`))
    const baseSize = await imageSize(ctx, base)
    const overlays: OverlayOptions[] = []
    for (const [index, layer] of layers.entries()) {
      const overlay = await prepareLayer(ctx, layer, params.layers[index] ?? defaultLayer, baseSize)
      if (overlay) overlays.push(overlay)
    }
    return { image: await transformImage(ctx, base, (pipeline) => pipeline.composite(overlays)) }
  },
})

/**
 * Decodes one layer scaled, clipped to the base and faded to its opacity, or undefined when
 * nothing of it lies on the base.
 */
async function prepareLayer(
  ctx: NodeContext,
  layer: AssetRef,
  placement: LayerParams,
  base: { width: number; height: number },
): Promise<OverlayOptions | undefined> {
  const natural = (await readMetadata(ctx, layer)).autoOrient
  const width = placement.scale === undefined ? natural.width : Math.max(1, Math.round(placement.scale * base.width))
  const height = Math.max(1, Math.round((width * natural.height) / natural.width))
  const left = Math.round(placement.x * base.width)
  const top = Math.round(placement.y * base.height)
  // sharp refuses overlays that do not fit inside the base, so cut off what would overhang.
  const visible = {
    left: 0,
    top: 0,
    width: Math.min(width, base.width - left),
    height: Math.min(height, base.height - top),
  }
  if (visible.width <= 0 || visible.height <= 0) return undefined
  const pixels = await decodeRaw(ctx, layer, (image) =>
    image.resize(width, height, { fit: 'fill' }).extract(visible).ensureAlpha(),
  )
  fadeAlpha(pixels.data, placement.opacity)
  return { input: pixels.data, raw: pixels.info, left, top, blend: placement.blend }
}

/** Multiplies the alpha of RGBA pixels by `opacity`. */
function fadeAlpha(rgba: Buffer, opacity: number): void {
  if (opacity === 1) return
  for (let alpha = 3; alpha < rgba.length; alpha += 4) rgba[alpha] = Math.round((rgba[alpha] ?? 0) * opacity)
}
