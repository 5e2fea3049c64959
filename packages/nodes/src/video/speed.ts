import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { encodeMp4, VIDEO_TIMEOUT_MS } from './encode.ts'
import { openVideo } from './video-input.ts'

/**
 * `video.speed`: plays a video `factor` times as fast (2 = twice as fast, half as long;
 * 0.5 = slow motion, twice as long). The frame rate stays the same, so frames are dropped
 * when speeding up and repeated when slowing down. Audio keeps its pitch.
 */
export const videoSpeed = defineNode({
  type: 'video.speed',
  version: 1,
  category: 'video',
  title: 'Change speed',
  description: 'Speeds a video up or slows it down.',
  timeoutMs: VIDEO_TIMEOUT_MS,
  inputs: { video: { type: 'video', required: true } },
  outputs: { video: { type: 'video' } },
  params: z.object({
    factor: z
      .number()
      .min(0.25)
      .max(4)
      .default(2)
      .describe('How many times as fast: 2 is double speed, 0.5 half speed.'),
  }),
  async run({ inputs, params, ctx }) {
    const video = await openVideo(ctx, inputs.video)
    // Resampling to the source rate drops or repeats frames evenly (left to the muxer, the
    // last frames linger and the clip runs long).
    const keepRate = video.fps === undefined ? '' : `,fps=${video.fps}`
    const args = ['-i', video.path, '-vf', `setpts=PTS/${params.factor}${keepRate}`]
    if (video.hasAudio) args.push('-af', atempoChain(params.factor))
    const out = await encodeMp4(ctx, args, {
      audio: video.hasAudio,
      durationMs: video.durationMs === undefined ? undefined : video.durationMs / params.factor,
      what: 'changing the speed',
    })
    return { video: out }
  },
})

/** `atempo` sounds best between 0.5 and 2, so larger changes are made in steps. */
export function atempoChain(factor: number): string {
  const steps: number[] = []
  let rest = factor
  while (rest < 0.5) {
    steps.push(0.5)
    rest /= 0.5
  }
  while (rest > 2) {
    steps.push(2)
    rest /= 2
  }
  steps.push(rest)
  return steps.map((step) => `atempo=${Math.round(step * 1e6) / 1e6}`).join(',')
}
