import type { ProviderAdapter, ProviderCall } from '../adapter.ts'
import { speakWith, transcribeWith } from './openai/audio.ts'
import { generateImages, sdkSize } from './openai/generate-images.ts'
import { openaiSizeForAspectRatio } from './openai/image-size.ts'
import { streamChat } from './stream-chat.ts'

/** Loaded on first use: the SDK is heavy and most CLI commands never call a model. */
async function openaiFor(call: ProviderCall) {
  const { createOpenAI } = await import('@ai-sdk/openai')
  return createOpenAI({ baseURL: call.baseURL, apiKey: call.apiKey, fetch: call.fetch })
}

/**
 * OpenAI through the AI SDK: chat on the Responses API, images on `/images/generations`
 * and `/images/edits`, speech and transcription on `/audio/*`. OpenAI has no image seed,
 * so `seed` is not sent.
 */
export const openaiAdapter: ProviderAdapter = {
  id: 'openai',
  title: 'OpenAI',
  credentialEnv: 'OPENAI_API_KEY',
  baseUrlEnv: 'OPENAI_BASE_URL',
  defaultBaseURL: 'https://api.openai.com/v1',
  defaultConcurrency: 16,

  chat: async (model, request, call) => streamChat((await openaiFor(call))(model), request, call),

  generateImage: async (model, request, call) =>
    generateImages(
      (await openaiFor(call)).image(model),
      {
        prompt: request.prompt,
        images: request.images,
        n: request.n,
        size: sdkSize(request.size) ?? openaiSizeForAspectRatio(model, request.aspectRatio),
      },
      call,
    ),

  editImage: async (model, request, call) =>
    generateImages(
      (await openaiFor(call)).image(model),
      { prompt: request.prompt, images: [request.image], mask: request.mask },
      call,
    ),

  speak: async (model, request, call) => speakWith((await openaiFor(call)).speech(model), request, call),

  transcribe: async (model, request, call) =>
    transcribeWith((await openaiFor(call)).transcription(model), request, call),
}
