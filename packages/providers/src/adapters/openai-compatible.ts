import type { ProviderAdapter, ProviderCall } from '../adapter.ts'
import { generateImages, sdkSize } from './openai/generate-images.ts'
import { streamChat } from './stream-chat.ts'

/** A server speaking OpenAI's chat-completions and images API: Ollama, vLLM, LM Studio, llama.cpp, … */
export interface CompatibleEndpoint {
  /** The provider id in `provider/model`; also names the base URL variable (`OLLAMA_BASE_URL`). */
  id: string
  title?: string
  /** Including the `/v1` the server mounts its API under. */
  baseURL: string
  /** Only for servers that want a key; it is sent as a Bearer token when set. */
  credentialEnv?: string
}

export const ollamaEndpoint: CompatibleEndpoint = {
  id: 'ollama',
  title: 'Ollama',
  baseURL: 'http://127.0.0.1:11434/v1',
}

export function createCompatibleAdapter(endpoint: CompatibleEndpoint): ProviderAdapter {
  // Loaded on first use: the SDK is heavy and most CLI commands never call a model.
  const providerFor = async (call: ProviderCall) => {
    const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible')
    return createOpenAICompatible({
      name: endpoint.id,
      baseURL: call.baseURL,
      ...(call.apiKey ? { apiKey: call.apiKey } : {}),
      fetch: call.fetch,
      // Asks for the final usage chunk of a streamed answer (`stream_options.include_usage`).
      includeUsage: true,
    })
  }

  return {
    id: endpoint.id,
    title: endpoint.title ?? endpoint.id,
    ...(endpoint.credentialEnv ? { credentialEnv: endpoint.credentialEnv } : {}),
    baseUrlEnv: `${endpoint.id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_BASE_URL`,
    defaultBaseURL: endpoint.baseURL,
    defaultConcurrency: 4,

    chat: async (model, request, call) => streamChat((await providerFor(call)).chatModel(model), request, call),

    generateImage: async (model, request, call) => {
      if (request.aspectRatio && !request.size)
        call.log.warn('OpenAI-compatible image APIs take a size, not an aspect ratio; using the default size', {
          aspectRatio: request.aspectRatio,
        })
      return generateImages(
        (await providerFor(call)).imageModel(model),
        { prompt: request.prompt, images: request.images, n: request.n, size: sdkSize(request.size) },
        call,
      )
    },
  }
}
