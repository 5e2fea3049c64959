import { defineNode, NodeError } from '@patchbay/core'
import { z } from 'zod'
import { timeWithin } from '../support/ffmpeg/index.ts'
import { encodeMp4, seconds, VIDEO_TIMEOUT_MS } from './encode.ts'
import { openVideo } from './video-input.ts'

/**
 * `video.trim`: keeps the part of a video from `start` to `end` seconds (default: to the
 * end), audio included. It re-encodes, so the cut lands on the exact frame rather than the
 * nearest keyframe. `start` must be before `end`, and `end` within the video, else
 * `INVALID_PARAM`.
 */
export const videoTrim = defineNode({
  type: 'video.trim',
  version: 1,
  category: 'video',
  title: 'Trim',
  description: 'Keeps the part of a video between two times.',
  timeoutMs: VIDEO_TIMEOUT_MS,
  inputs: { video: { type: 'video', required: true } },
  outputs: { video: { type: 'video' } },
  params: z.object({
    start: z.number().min(0).default(0).describe('Where the kept part starts, in seconds.'),
    end: z.number().positive().optional().describe('Where it ends, in seconds (default: the end of the video).'),
  }),
  async run({ inputs, params, ctx }) {
    const video = await openVideo(ctx, inputs.video)
    const start = timeWithin(params.start, video.durationMs, 'start')
    const videoEnd = video.durationMs === undefined ? undefined : video.durationMs / 1000
    const end = params.end === undefined ? videoEnd : timeWithin(params.end, video.durationMs, 'end')
    if (end !== undefined && end <= start) {
      throw new NodeError('INVALID_PARAM', `end (${seconds(end)} s) must be after start (${seconds(start)} s)`)
    }
    const length = end === undefined ? undefined : end - start
    const args = ['-accurate_seek', '-ss', seconds(start), '-i', video.path]
    if (length !== undefined) args.push('-t', seconds(length))
    const out = await encodeMp4(ctx, args, {
      audio: video.hasAudio,
      durationMs: length === undefined ? undefined : length * 1000,
      what: 'trimming the video',
    })
    return { video: out }
  },
})
