import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { modelParam, modelRetry, providerOf, tail } from './model-param.ts'

export const llmChat = defineNode({
  type: 'llm.chat',
  version: 1,
  category: 'ai',
  title: 'LLM chat',
  description: 'Sends a prompt (and images) to a language model and returns its reply, streaming it as it arrives.',
  inputs: {
    prompt: { type: 'text', required: true },
    system: { type: 'text', description: 'Overrides the system param when connected' },
    images: { type: 'image', multiple: true, description: 'Shown to the model with the prompt' },
  },
  outputs: { text: { type: 'text' } },
  params: z.object({
    model: modelParam('openai/gpt-4.1-mini'),
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().positive().optional(),
    system: z.string().optional().describe('System prompt, used when the system input is not connected'),
    cache: z.boolean().default(true).describe('Reuse the reply when the prompt, images and params are unchanged'),
  }),
  cacheable: (params) => params.cache,
  timeoutMs: 5 * 60_000,
  retry: modelRetry,
  resourceKey: providerOf,
  models: (params) => [
    {
      model: params.model,
      capability: 'chat',
      ...(params.maxTokens === undefined ? {} : { maxOutputTokens: params.maxTokens }),
      ...(params.temperature === undefined ? {} : { temperature: params.temperature }),
    },
  ],
  async run({ inputs, params, ctx }) {
    const system = inputs.system ?? params.system
    const images = inputs.images ?? []
    const result = await ctx.models.chat(
      {
        model: params.model,
        prompt: inputs.prompt,
        ...(system ? { system } : {}),
        ...(images.length > 0 ? { images } : {}),
        ...(params.temperature === undefined ? {} : { temperature: params.temperature }),
        ...(params.maxTokens === undefined ? {} : { maxTokens: params.maxTokens }),
        onText: (text) => ctx.progress(null, tail(text)),
      },
      ctx,
    )
    return { text: result.text }
  },
})
