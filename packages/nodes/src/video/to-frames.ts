import { createReadStream } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { type AssetRef, defineNode, NodeError } from '@patchbay/core'
import { z } from 'zod'
import { throwIfAborted } from '../support/abort.ts'
import { probeMedia, runFfmpeg, withTempDir } from '../support/ffmpeg/index.ts'
import { VIDEO_TIMEOUT_MS } from './encode.ts'
import { openVideo } from './video-input.ts'

/**
 * `video.toFrames`: samples a video at `fps` frames per second into PNG images, in order
 * (the frames on screen at 0, 1/fps, 2/fps… s). It counts first and refuses, with
 * `INVALID_PARAM` naming the count, to produce more than `max` images: lower `fps`, raise
 * `max` or trim the video. For a file that does not record its duration the count is
 * unknown up front, and it stops after `max` images instead.
 */
export const videoToFrames = defineNode({
  type: 'video.toFrames',
  version: 1,
  category: 'video',
  title: 'Video to frames',
  description: 'Samples a video into images at a frame rate.',
  timeoutMs: VIDEO_TIMEOUT_MS,
  inputs: { video: { type: 'video', required: true } },
  outputs: { images: { type: 'image', list: true } },
  params: z.object({
    fps: z.number().min(0.1).max(30).default(1).describe('Images per second of video.'),
    max: z.number().int().min(1).max(500).default(100).describe('The most images to produce.'),
  }),
  async run({ inputs, params, ctx }) {
    const video = await openVideo(ctx, inputs.video)
    if (video.durationMs !== undefined) {
      const count = expectedFrames(video.durationMs, params.fps)
      if (count > params.max) {
        throw new NodeError(
          'INVALID_PARAM',
          `${params.fps} fps over ${video.durationMs / 1000} s makes ${count} images, more than max ${params.max}`,
          { details: { count, max: params.max } },
        )
      }
    }
    return withTempDir(async (dir) => {
      const args = ['-i', video.path, '-map', '0:v:0', '-vf', `fps=${params.fps}`, '-frames:v', String(params.max)]
      await runFfmpeg(ctx, [...args, '-c:v', 'png', '-f', 'image2', join(dir, '%06d.png')], {
        durationMs: video.durationMs,
        what: 'extracting frames',
      })
      const files = (await readdir(dir)).filter((name) => name.endsWith('.png')).sort()
      const first = files[0]
      if (!first) throw new NodeError('INVALID_MEDIA', 'input "video" has no frames to extract')
      // All frames share one size, so one probe describes them all.
      const frame = (await probeMedia(join(dir, first), 'an extracted frame', ctx.signal)).video
      const size = frame ? { width: frame.width, height: frame.height } : {}
      const images: AssetRef[] = []
      for (const name of files) {
        throwIfAborted(ctx.signal)
        images.push(
          await ctx.assets.put(createReadStream(join(dir, name)), { mime: 'image/png', kind: 'image', ...size }),
        )
      }
      return { images }
    })
  },
})

/** How many frames ffmpeg's `fps` filter makes: the duration's worth, rounded, at least one. */
export function expectedFrames(durationMs: number, fps: number): number {
  return Math.max(1, Math.round((durationMs / 1000) * fps))
}
