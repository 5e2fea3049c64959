import type { AssetRef } from '@patchbay/core'
import type { ImageModel } from 'ai'
import type { ImageOutput, ProviderCall } from '../../adapter.ts'
import { parseSize } from '../size.ts'

export interface ImageCallInput {
  prompt: string
  /** Input images: with any, the SDK posts to `/images/edits` instead of `/images/generations`. */
  images?: AssetRef[]
  mask?: AssetRef
  n?: number
  size?: `${number}x${number}`
}

/** One `generateImage` call against an OpenAI-style images API, with the results as in-memory media. */
export async function generateImages(
  model: ImageModel,
  input: ImageCallInput,
  call: ProviderCall,
): Promise<ImageOutput> {
  const images = await Promise.all((input.images ?? []).map((ref) => call.readAsset(ref)))
  const mask = input.mask ? await call.readAsset(input.mask) : undefined
  const { generateImage } = await import('ai')
  const result = await generateImage({
    model,
    prompt: images.length > 0 ? { text: input.prompt, images, ...(mask ? { mask } : {}) } : input.prompt,
    n: input.n ?? 1,
    size: input.size,
    maxRetries: 0,
    abortSignal: call.signal,
  })
  return { images: result.images.map((file) => ({ bytes: file.uint8Array, mime: file.mediaType })) }
}

/** A `WxH` size as the AI SDK takes it; anything else is left to the provider's default. */
export function sdkSize(size: string | undefined): `${number}x${number}` | undefined {
  const parsed = size === undefined ? undefined : parseSize(size)
  return parsed && `${parsed.width}x${parsed.height}`
}
