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
