import { join } from 'node:path'
import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { runFfmpeg, storeMediaFile, withTempDir } from '../support/ffmpeg/index.ts'
import { VIDEO_TIMEOUT_MS } from './encode.ts'
import { openVideo } from './video-input.ts'

/**
 * `video.toGif`: an animated GIF of a video, `width` pixels wide (the height follows the
 * aspect ratio) at `fps`, without sound. A GIF is an image, so the output is `image`
 * (`image/gif`), usable wherever images are; its colours come from a palette computed for this
 * video. `loop: false` plays it once.
 */
export const videoToGif = defineNode({
  type: 'video.toGif',
  version: 1,
  category: 'video',
  title: 'Video to GIF',
  description: 'Makes an animated GIF from a video.',
  timeoutMs: VIDEO_TIMEOUT_MS,
  inputs: { video: { type: 'video', required: true } },
  outputs: { image: { type: 'image' } },
  params: z.object({
    fps: z.number().min(1).max(50).default(10).describe('Frames per second of the GIF.'),
    width: z.number().int().min(16).max(2048).default(480).describe('Width in pixels; the height keeps the aspect.'),
    loop: z.boolean().default(true).describe('Loop forever; off, the GIF plays once.'),
  }),
  async run({ inputs, params, ctx }) {
    const video = await openVideo(ctx, inputs.video)
    // One palette for the whole clip (from the frames' differences) beats GIF's default colours.
    const filter =
      `[0:v:0]fps=${params.fps},scale=${params.width}:-1:flags=lanczos,split[frames][forPalette];` +
      '[forPalette]palettegen=stats_mode=diff[palette];' +
      '[frames][palette]paletteuse=dither=bayer:bayer_scale=5:diff_mode=rectangle'
    return withTempDir(async (dir) => {
      const out = join(dir, 'out.gif')
      await runFfmpeg(ctx, ['-i', video.path, '-filter_complex', filter, '-loop', params.loop ? '0' : '-1', out], {
        durationMs: video.durationMs,
        what: 'making the GIF',
      })
      const { ref } = await storeMediaFile(ctx, out, { mime: 'image/gif', kind: 'image' })
      return { image: ref }
    })
  },
})
