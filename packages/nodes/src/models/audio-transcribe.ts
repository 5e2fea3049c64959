import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { modelParam, modelRetry, providerOf } from './model-param.ts'

export const audioTranscribe = defineNode({
  type: 'audio.transcribe',
  version: 1,
  category: 'ai',
  title: 'Transcribe audio',
  description: 'Turns speech in an audio file into text.',
  inputs: { audio: { type: 'audio', required: true } },
  outputs: { text: { type: 'text' } },
  params: z.object({
    model: modelParam('openai/whisper-1'),
    language: z
      .string()
      .regex(/^[a-z]{2}$/, 'expected an ISO-639-1 code such as en')
      .optional(),
  }),
  timeoutMs: 5 * 60_000,
  retry: modelRetry,
  resourceKey: providerOf,
  models: (params) => [{ model: params.model, capability: 'audio.transcribe' }],
  async run({ inputs, params, ctx }) {
    const result = await ctx.models.transcribe(
      { model: params.model, audio: inputs.audio, ...(params.language ? { language: params.language } : {}) },
      ctx,
    )
    return { text: result.text }
  },
})
