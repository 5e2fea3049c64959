import { defineNode } from '@patchbay/core'
import type { Sharp } from 'sharp'
import { z } from 'zod'
import { requireImage, transformImage } from './sharp-image.ts'

/** Contrast scales distances from this value, so mid-grey stays put. */
const MID_GREY = 128
const factor = z.number().min(0).max(4).default(1)

/**
 * `image.adjust`: brightness, contrast, saturation, hue and gamma in one pass, keeping the
 * format, size and alpha. Each param's neutral value leaves its aspect untouched.
 *
 * - `brightness` multiplies lightness (0 = black, 2 = twice as bright).
 * - `contrast` scales every channel's distance from mid-grey: `v' = c·v + 128·(1 − c)`
 *   (0 = flat grey, 2 = twice the contrast).
 * - `saturation` multiplies colourfulness (0 = grey).
 * - `hue` rotates colours by whole degrees around the colour wheel.
 * - `gamma` brightens mid-tones like a Levels gamma: `v' = 255·(v/255)^(1/gamma)`.
 */
export const imageAdjust = defineNode({
  type: 'image.adjust',
  version: 1,
  category: 'image',
  title: 'Adjust',
  description: 'Adjusts brightness, contrast, saturation, hue and gamma.',
  inputs: { image: { type: 'image', required: true } },
  outputs: { image: { type: 'image' } },
  params: z.object({
    brightness: factor.describe('Lightness multiplier: 1 unchanged, 0 black.'),
    contrast: factor.describe('Contrast multiplier around mid-grey: 1 unchanged, 0 flat grey.'),
    saturation: factor.describe('Colourfulness multiplier: 1 unchanged, 0 grey.'),
    hue: z.number().int().min(-360).max(360).default(0).describe('Hue rotation in whole degrees.'),
    gamma: z.number().min(1).max(3).default(1).describe('Mid-tone brightening: 1 unchanged, higher is brighter.'),
  }),
  async run({ inputs, params, ctx }) {
    const source = requireImage(inputs.image, 'image')
    return { image: await transformImage(ctx, source, (pipeline) => adjust(pipeline, params)) }
  },
})

function adjust(
  image: Sharp,
  params: { brightness: number; contrast: number; saturation: number; hue: number; gamma: number },
): Sharp {
  const { brightness, contrast, saturation, hue, gamma } = params
  let adjusted = image
  if (brightness !== 1 || saturation !== 1 || hue !== 0) adjusted = adjusted.modulate({ brightness, saturation, hue })
  if (contrast !== 1) adjusted = adjusted.linear(contrast, MID_GREY * (1 - contrast))
  // sharp's gamma(in, out) darkens by `in` before resizing and brightens by `out` after;
  // with in = 1 only the brightening remains.
  if (gamma !== 1) adjusted = adjusted.gamma(1, gamma)
  return adjusted
}
