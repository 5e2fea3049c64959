import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { aspectRatioParam, modelParam, modelRetry, providerOf, seedParam } from './model-param.ts'

export const imageGenerate = defineNode({
  type: 'image.generate',
  version: 1,
  category: 'ai',
  title: 'Generate image',
  description: 'Generates images from a prompt (and optional reference images) with an image model.',
  inputs: {
    prompt: { type: 'text', required: true },
    negativePrompt: { type: 'text' },
    images: { type: 'image', multiple: true, description: 'Reference images' },
  },
  outputs: {
    image: { type: 'image', description: 'The first image' },
    images: { type: 'image', list: true, description: 'All images' },
    seed: { type: 'number', description: 'The seed used, when the provider reports it' },
  },
  params: z.object({
    model: modelParam('openai/gpt-image-1'),
    aspectRatio: aspectRatioParam,
    size: z
      .string()
      .regex(/^\d+x\d+$/, 'expected WIDTHxHEIGHT, e.g. 1024x1024')
      .optional(),
    n: z.number().int().min(1).max(10).default(1),
    seed: seedParam,
  }),
  // Without a seed every run is a new draw, so its result must not be reused.
  cacheable: (params) => params.seed !== undefined,
  timeoutMs: 5 * 60_000,
  retry: modelRetry,
  resourceKey: providerOf,
  models: (params) => [
    {
      model: params.model,
      capability: 'image.generate',
      images: params.n,
      ...(params.aspectRatio ? { aspectRatio: params.aspectRatio } : {}),
      ...(params.size ? { size: params.size } : {}),
    },
  ],
  async run({ inputs, params, ctx }) {
    const references = inputs.images ?? []
    const result = await ctx.models.generateImage(
      {
        model: params.model,
        prompt: inputs.prompt,
        n: params.n,
        ...(inputs.negativePrompt ? { negativePrompt: inputs.negativePrompt } : {}),
        ...(references.length > 0 ? { images: references } : {}),
        ...(params.aspectRatio ? { aspectRatio: params.aspectRatio } : {}),
        ...(params.size ? { size: params.size } : {}),
        ...(params.seed === undefined ? {} : { seed: params.seed }),
      },
      ctx,
    )
    const seed = result.seed ?? params.seed
    return { image: result.images[0], images: result.images, ...(seed === undefined ? {} : { seed }) }
  },
})
