import { access } from 'node:fs/promises'
import { join } from 'node:path'
import { defineNode, NodeError } from '@patchbay/core'
import { z } from 'zod'
import { runFfmpeg, storeMediaFile, timeWithin, withTempDir } from '../support/ffmpeg/index.ts'
import { seconds, VIDEO_TIMEOUT_MS } from './encode.ts'
import { openVideo } from './video-input.ts'

/** Frame length assumed when a file does not state its frame rate. */
const FALLBACK_FPS = 30

/**
 * `video.extractFrame`: the frame shown at `timestamp`, as a PNG `image` at the video's
 * displayed size. The timestamp is seconds or a percentage of the duration (`"50%"`); the
 * frame is the one on screen at that moment (the last one starting at or before it), so
 * `"100%"` is the last frame. A timestamp past the end, or past the last frame when the
 * audio runs longer, is `INVALID_PARAM`.
 */
export const videoExtractFrame = defineNode({
  type: 'video.extractFrame',
  version: 1,
  category: 'video',
  title: 'Extract frame',
  description: 'Takes the frame at a time as a PNG image.',
  timeoutMs: VIDEO_TIMEOUT_MS,
  inputs: { video: { type: 'video', required: true } },
  outputs: { image: { type: 'image' } },
  params: z.object({
    timestamp: z
      .union([z.number().min(0), z.string().regex(/^\s*\d+(\.\d+)?\s*%\s*$/, 'a percentage such as "50%"')])
      .default(0)
      .describe('Seconds from the start, or a percentage of the duration such as "50%".'),
  }),
  async run({ inputs, params, ctx }) {
    const video = await openVideo(ctx, inputs.video)
    const frameSeconds = 1 / (video.fps ?? FALLBACK_FPS)
    let at = timeWithin(params.timestamp, video.durationMs, 'timestamp')
    if (video.durationMs !== undefined) at = Math.min(at, video.durationMs / 1000 - frameSeconds)
    // ffmpeg's accurate seek keeps the first frame starting at or after -ss; starting a
    // frame early (plus a hair for rounding) makes that the frame on screen at `at`.
    const seekTo = Math.max(0, at - frameSeconds + 0.001)
    return withTempDir(async (dir) => {
      const out = join(dir, 'frame.png')
      const args = ['-accurate_seek', '-ss', seconds(seekTo), '-i', video.path]
      await runFfmpeg(ctx, [...args, '-map', '0:v:0', '-frames:v', '1', '-update', '1', '-c:v', 'png', out], {
        what: 'extracting a frame',
      })
      if (!(await fileExists(out))) {
        throw new NodeError('INVALID_PARAM', `timestamp ${seconds(at)} s is past the last frame of the video`)
      }
      const { ref } = await storeMediaFile(ctx, out, { mime: 'image/png', kind: 'image' })
      return { image: ref }
    })
  },
})

/** ffmpeg exits cleanly without writing anything when no frame lies at or after the seek. */
function fileExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}
