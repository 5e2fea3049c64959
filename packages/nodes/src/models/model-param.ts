import { parseModelId, providerResourceKey } from '@patchbay/core'
import { z } from 'zod'

/** The `model` param every model node has: a `provider/model` id. */
export function modelParam(defaultModel: string) {
  return z
    .string()
    .refine((id) => parseModelId(id) !== undefined, 'expected provider/model, e.g. openai/gpt-4.1-mini')
    .default(defaultModel)
    .describe('Model id as provider/model (see `patchbay models`)')
}

/** `W:H`, checked against the model's list before a run when the model is in the catalog. */
export const aspectRatioParam = z
  .string()
  .regex(/^\d+:\d+$/, 'expected width:height, e.g. 16:9')
  .optional()

/** A fixed seed makes a generation reproducible, and so its result reusable from the cache. */
export const seedParam = z
  .number()
  .int()
  .min(0)
  .max(4_294_967_295)
  .optional()
  .describe('A fixed seed makes the result reusable')

/** Calls to one provider share its concurrency limit. */
export function providerOf(params: { model: string }): string | undefined {
  const provider = parseModelId(params.model)?.provider
  return provider === undefined ? undefined : providerResourceKey(provider)
}

/** Model calls give transient failures (rate limits, outages) a few more chances than other nodes. */
export const modelRetry = { maxAttempts: 4 }

/** Keeps the last `max` characters: progress messages carry streamed text, which can grow long. */
export function tail(text: string, max = 4000): string {
  return text.length <= max ? text : `…${text.slice(text.length - max + 1)}`
}
