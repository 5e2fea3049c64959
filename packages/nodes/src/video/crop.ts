import { defineNode, NodeError } from '@patchbay/core'
import { z } from 'zod'
import { encodeMp4, VIDEO_TIMEOUT_MS } from './encode.ts'
import { openVideo } from './video-input.ts'

/** Tolerates float sums such as 0.7 + 0.3 that land a hair above 1. */
const EPSILON = 1e-9
const fraction = z.number().min(0).max(1)

/**
 * `video.crop`: cuts a rectangle out of every frame, given like `image.crop` in fractions
 * (0–1) of the displayed size. Edges are rounded to even pixels, since H.264 needs even
 * dimensions; a crop that rounds to nothing is `EMPTY_CROP`. Audio is kept.
 *
 * @example
 * // the left half
 * { width: 0.5 }
 */
export const videoCrop = defineNode({
  type: 'video.crop',
  version: 1,
  category: 'video',
  title: 'Crop video',
  description: 'Cuts a rectangle out of a video, in fractions of its size.',
  timeoutMs: VIDEO_TIMEOUT_MS,
  inputs: { video: { type: 'video', required: true } },
  outputs: { video: { type: 'video' } },
  params: z
    .object({
      x: fraction.default(0).describe('Left edge, as a fraction of the width (0 = left).'),
      y: fraction.default(0).describe('Top edge, as a fraction of the height (0 = top).'),
      width: fraction.positive().default(1).describe('Width, as a fraction of the video width.'),
      height: fraction.positive().default(1).describe('Height, as a fraction of the video height.'),
    })
    .refine((params) => params.x + params.width <= 1 + EPSILON, {
      error: 'x + width must not exceed 1: the crop must stay inside the video',
      path: ['width'],
    })
    .refine((params) => params.y + params.height <= 1 + EPSILON, {
      error: 'y + height must not exceed 1: the crop must stay inside the video',
      path: ['height'],
    }),
  async run({ inputs, params, ctx }) {
    const video = await openVideo(ctx, inputs.video)
    const rect = evenRect(params, video)
    if (rect.width === 0 || rect.height === 0) {
      throw new NodeError(
        'EMPTY_CROP',
        `the crop is ${rect.width}×${rect.height} pixels of a ${video.width}×${video.height} video; make it larger`,
        { details: { rect, size: { width: video.width, height: video.height } } },
      )
    }
    const filter = `crop=${rect.width}:${rect.height}:${rect.left}:${rect.top}`
    const out = await encodeMp4(ctx, ['-i', video.path, '-vf', filter], {
      audio: video.hasAudio,
      durationMs: video.durationMs,
      what: 'cropping the video',
    })
    return { video: out }
  },
})

/** Rounds each edge to an even pixel inside the frame, so the size is even too. */
export function evenRect(
  crop: { x: number; y: number; width: number; height: number },
  size: { width: number; height: number },
): { left: number; top: number; width: number; height: number } {
  const edge = (fraction: number, extent: number) =>
    Math.min(Math.round((fraction * extent) / 2) * 2, extent - (extent % 2))
  const left = edge(crop.x, size.width)
  const top = edge(crop.y, size.height)
  const right = edge(crop.x + crop.width, size.width)
  const bottom = edge(crop.y + crop.height, size.height)
  return { left, top, width: Math.max(0, right - left), height: Math.max(0, bottom - top) }
}
