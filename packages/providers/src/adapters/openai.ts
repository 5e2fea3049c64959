import { createOpenAI } from '@ai-sdk/openai'
import type { ProviderAdapter, ProviderCall } from '../adapter.ts'
import { speakWith, transcribeWith } from './openai/audio.ts'
import { generateImages, sdkSize } from './openai/generate-images.ts'
import { openaiSizeForAspectRatio } from './openai/image-size.ts'
import { streamChat } from './stream-chat.ts'

function openaiFor(call: ProviderCall) {
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

  chat: (model, request, call) => streamChat(openaiFor(call)(model), request, call),

  generateImage: (model, request, call) =>
    generateImages(
      openaiFor(call).image(model),
      {
        prompt: request.prompt,
        images: request.images,
        n: request.n,
        size: sdkSize(request.size) ?? openaiSizeForAspectRatio(model, request.aspectRatio),
      },
      call,
    ),

  editImage: (model, request, call) =>
    generateImages(
      openaiFor(call).image(model),
      { prompt: request.prompt, images: [request.image], mask: request.mask },
      call,
    ),

  speak: (model, request, call) => speakWith(openaiFor(call).speech(model), request, call),

  transcribe: (model, request, call) => transcribeWith(openaiFor(call).transcription(model), request, call),
}
