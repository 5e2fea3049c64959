import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { aspectRatioParam, modelParam, modelRetry, providerOf, seedParam } from './model-param.ts'

export const videoGenerate = defineNode({
  type: 'video.generate',
  version: 1,
  category: 'ai',
  title: 'Generate video',
  description: 'Generates a video from a prompt, optionally starting from and ending on given frames.',
  inputs: {
    prompt: { type: 'text', required: true },
    image: { type: 'image', description: 'First frame' },
    lastFrame: { type: 'image', description: 'Last frame' },
    negativePrompt: { type: 'text' },
  },
  outputs: { video: { type: 'video' } },
  params: z.object({
    model: modelParam('google/veo-3.1-fast-generate-preview'),
    durationSeconds: z.number().positive().max(60).optional(),
    aspectRatio: aspectRatioParam,
    resolution: z.string().min(1).optional().describe('e.g. 720p, 1080p'),
    seed: seedParam,
  }),
  cacheable: (params) => params.seed !== undefined,
  // Video jobs queue and render for minutes at busy times.
  timeoutMs: 20 * 60_000,
  retry: modelRetry,
  resourceKey: providerOf,
  models: (params) => [
    {
      model: params.model,
      capability: 'video.generate',
      ...(params.durationSeconds === undefined ? {} : { seconds: params.durationSeconds }),
      ...(params.aspectRatio ? { aspectRatio: params.aspectRatio } : {}),
      ...(params.resolution ? { resolution: params.resolution } : {}),
    },
  ],
  async run({ inputs, params, ctx }) {
    const result = await ctx.models.generateVideo(
      {
        model: params.model,
        prompt: inputs.prompt,
        ...(inputs.image ? { image: inputs.image } : {}),
        ...(inputs.lastFrame ? { lastFrame: inputs.lastFrame } : {}),
        ...(inputs.negativePrompt ? { negativePrompt: inputs.negativePrompt } : {}),
        ...(params.durationSeconds === undefined ? {} : { durationSeconds: params.durationSeconds }),
        ...(params.aspectRatio ? { aspectRatio: params.aspectRatio } : {}),
        ...(params.resolution ? { resolution: params.resolution } : {}),
        ...(params.seed === undefined ? {} : { seed: params.seed }),
      },
      ctx,
    )
    return { video: result.video }
  },
})
