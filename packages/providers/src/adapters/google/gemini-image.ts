import type { ImageEditRequest, ImageRequest } from '@patchbay/core'
import type { ImagePart, TextPart } from 'ai'
import type { AdapterRequest, ImageOutput, MediaSource, ProviderCall } from '../../adapter.ts'
import { ProviderJobError } from '../../http.ts'
import { aspectRatioFor } from './aspect-ratio.ts'
import { imagePart, readInputImage } from './input-images.ts'
import { googleProvider } from './provider.ts'

const maskInstruction =
  'The next image is a mask for the image above: change only the regions where the mask is transparent and keep everything else unchanged.'

/** Gemini image models (`gemini-*-image*`) over `:generateContent`; reference images go in as parts. */
export async function generateGeminiImages(
  model: string,
  request: AdapterRequest<ImageRequest>,
  call: ProviderCall,
): Promise<ImageOutput> {
  const references = await Promise.all((request.images ?? []).map((ref) => readInputImage(call, ref)))
  const prompt = request.negativePrompt ? `${request.prompt}\n\nAvoid: ${request.negativePrompt}` : request.prompt
  const content = [{ type: 'text' as const, text: prompt }, ...references.map(imagePart)]
  const wanted = request.n ?? 1
  const images: MediaSource[] = []
  // One answer usually holds one image, so ask again until there are enough.
  while (images.length < wanted) {
    images.push(
      ...(await askForImages(model, content, call, { seed: request.seed, aspectRatio: aspectRatioFor(request) })),
    )
  }
  return { images: images.slice(0, wanted) }
}

/** Image + instruction (+ the mask as a second image with an explanation). */
export async function editGeminiImage(
  model: string,
  request: AdapterRequest<ImageEditRequest>,
  call: ProviderCall,
): Promise<ImageOutput> {
  const content: Array<TextPart | ImagePart> = [
    { type: 'text', text: request.prompt },
    imagePart(await readInputImage(call, request.image)),
  ]
  if (request.mask) {
    content.push({ type: 'text', text: maskInstruction }, imagePart(await readInputImage(call, request.mask)))
  }
  return { images: await askForImages(model, content, call, {}) }
}

async function askForImages(
  model: string,
  content: Array<TextPart | ImagePart>,
  call: ProviderCall,
  options: { seed?: number | undefined; aspectRatio?: string | undefined },
): Promise<MediaSource[]> {
  const { generateText } = await import('ai')
  const result = await generateText({
    model: (await googleProvider(call))(model),
    messages: [{ role: 'user', content }],
    seed: options.seed,
    providerOptions: {
      google: {
        responseModalities: ['TEXT', 'IMAGE'],
        ...(options.aspectRatio ? { imageConfig: { aspectRatio: options.aspectRatio } } : {}),
      },
    },
    maxRetries: 0,
    abortSignal: call.signal,
  })
  const images = result.files.filter((file) => file.mediaType.startsWith('image/'))
  if (images.length === 0) {
    // The model answered in words only, typically a refusal; its text says why.
    throw new ProviderJobError(`${model} returned no image${result.text ? `: ${result.text.trim()}` : ''}`)
  }
  return images.map((file) => ({ bytes: file.uint8Array, mime: file.mediaType }))
}
