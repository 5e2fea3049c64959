import type { ImageRequest } from '@patchbay/core'
import type { AdapterRequest, ImageOutput, ProviderCall } from '../../adapter.ts'
import { ProviderJobError } from '../../http.ts'
import { aspectRatioFor } from './aspect-ratio.ts'
import { googleProvider } from './provider.ts'

/** Imagen over `:predict`. The Gemini API takes neither seed nor negative prompt nor references for it. */
export async function generateImagenImages(
  model: string,
  request: AdapterRequest<ImageRequest>,
  call: ProviderCall,
): Promise<ImageOutput> {
  const ignored = [
    request.seed !== undefined && 'seed',
    request.negativePrompt && 'negativePrompt',
    request.images?.length && 'images',
  ].filter(Boolean)
  if (ignored.length > 0) call.log.warn(`${model} ignores ${ignored.join(', ')} on the Gemini API`)
  // Loaded on first use: the SDK is heavy and most CLI commands never call a model.
  const { generateImage, NoImageGeneratedError } = await import('ai')
  try {
    const result = await generateImage({
      model: (await googleProvider(call)).image(model),
      prompt: request.prompt,
      n: request.n ?? 1,
      aspectRatio: aspectRatioFor(request),
      maxRetries: 0,
      abortSignal: call.signal,
    })
    return { images: result.images.map((image) => ({ bytes: image.uint8Array, mime: image.mediaType })) }
  } catch (error) {
    // Every prediction was filtered (raiFilteredReason): a verdict on the prompt, not a transient failure.
    if (NoImageGeneratedError.isInstance(error))
      throw new ProviderJobError(`${model} returned no image: ${error.message}`)
    throw error
  }
}
