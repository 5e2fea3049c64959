import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { modelParam, modelRetry, providerOf } from './model-param.ts'

export const imageEdit = defineNode({
  type: 'image.edit',
  version: 1,
  category: 'ai',
  title: 'Edit image',
  description: 'Changes an image as the prompt says; a mask limits the change to its transparent area.',
  inputs: {
    image: { type: 'image', required: true },
    prompt: { type: 'text', required: true },
    mask: { type: 'image', description: 'Transparent where the image may change' },
  },
  outputs: { image: { type: 'image' } },
  params: z.object({ model: modelParam('openai/gpt-image-1') }),
  // Edits are new draws each time, like generations without a seed.
  cacheable: false,
  timeoutMs: 5 * 60_000,
  retry: modelRetry,
  resourceKey: providerOf,
  models: (params) => [{ model: params.model, capability: 'image.edit', images: 1 }],
  async run({ inputs, params, ctx }) {
    const result = await ctx.models.editImage(
      {
        model: params.model,
        prompt: inputs.prompt,
        image: inputs.image,
        ...(inputs.mask ? { mask: inputs.mask } : {}),
      },
      ctx,
    )
    return { image: result.images[0] }
  },
})
