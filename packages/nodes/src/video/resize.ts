import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { encodeMp4, even, MAX_VIDEO_SIDE, VIDEO_TIMEOUT_MS } from './encode.ts'
import { openVideo } from './video-input.ts'

const side = z.number().int().min(2).max(MAX_VIDEO_SIDE)

type Fit = 'contain' | 'cover' | 'fill'

/**
 * `video.resize`: scales a video to a width and/or height; audio is kept. With one side
 * given, the other follows the aspect ratio. With both, `fit` decides: `contain` (default)
 * fits the whole picture and pads with black bars, `cover` fills the box and crops the
 * overflow, `fill` stretches. Sizes are rounded to even pixels, which H.264 needs.
 */
export const videoResize = defineNode({
  type: 'video.resize',
  version: 1,
  category: 'video',
  title: 'Resize video',
  description: 'Scales a video to a width and/or height.',
  timeoutMs: VIDEO_TIMEOUT_MS,
  inputs: { video: { type: 'video', required: true } },
  outputs: { video: { type: 'video' } },
  params: z
    .object({
      width: side.optional().describe('Target width in pixels (rounded to even).'),
      height: side.optional().describe('Target height in pixels (rounded to even).'),
      fit: z
        .enum(['contain', 'cover', 'fill'])
        .default('contain')
        .describe('How the video fits a box given by both width and height.'),
    })
    .refine((params) => params.width !== undefined || params.height !== undefined, {
      error: 'set "width", "height" or both',
    }),
  async run({ inputs, params, ctx }) {
    const video = await openVideo(ctx, inputs.video)
    const target = targetSize(params, video)
    const out = await encodeMp4(ctx, ['-i', video.path, '-vf', scaleFilter(target, params.fit)], {
      audio: video.hasAudio,
      durationMs: video.durationMs,
      what: 'resizing the video',
    })
    return { video: out }
  },
})

/** The output size: both sides given, or the missing one from the source's aspect ratio. */
export function targetSize(
  wanted: { width?: number | undefined; height?: number | undefined },
  source: { width: number; height: number },
): { width: number; height: number } {
  const aspect = source.width / source.height
  const width = wanted.width ?? (wanted.height ?? source.height) * aspect
  const height = wanted.height ?? width / aspect
  return { width: Math.min(even(width), MAX_VIDEO_SIDE), height: Math.min(even(height), MAX_VIDEO_SIDE) }
}

/** An ffmpeg filter chain that brings any frame to exactly `size`, fitting it as `fit` says. */
export function scaleFilter(size: { width: number; height: number }, fit: Fit): string {
  const { width: w, height: h } = size
  switch (fit) {
    case 'fill':
      return `scale=${w}:${h},setsar=1`
    case 'cover':
      return `scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h},setsar=1`
    case 'contain':
      return `scale=${w}:${h}:force_original_aspect_ratio=decrease:force_divisible_by=2,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2,setsar=1`
  }
}
