import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { modelParam, modelRetry, providerOf } from './model-param.ts'

export const audioSpeech = defineNode({
  type: 'audio.speech',
  version: 1,
  category: 'ai',
  title: 'Text to speech',
  description: 'Speaks the text with a speech model and voice.',
  inputs: { text: { type: 'text', required: true } },
  outputs: { audio: { type: 'audio' } },
  params: z.object({
    model: modelParam('openai/gpt-4o-mini-tts'),
    voice: z.string().min(1).optional(),
  }),
  timeoutMs: 2 * 60_000,
  retry: modelRetry,
  resourceKey: providerOf,
  models: (params) => [
    { model: params.model, capability: 'audio.speech', ...(params.voice ? { voice: params.voice } : {}) },
  ],
  async run({ inputs, params, ctx }) {
    const result = await ctx.models.speak(
      { model: params.model, text: inputs.text, ...(params.voice ? { voice: params.voice } : {}) },
      ctx,
    )
    return { audio: result.audio }
  },
})
