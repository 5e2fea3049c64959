import type { ProviderAdapter } from '../adapter.ts'
import { streamChat } from './stream-chat.ts'

/**
 * Anthropic requires `max_tokens`. Without one the SDK would send the model's maximum (tens
 * of thousands for current models); a fixed default keeps unbounded steps predictable.
 */
const defaultMaxTokens = 4096

/** Claude through the AI SDK: the Messages API (`/messages`, streamed as SSE). */
export const anthropicAdapter: ProviderAdapter = {
  id: 'anthropic',
  title: 'Anthropic',
  credentialEnv: 'ANTHROPIC_API_KEY',
  baseUrlEnv: 'ANTHROPIC_BASE_URL',
  defaultBaseURL: 'https://api.anthropic.com/v1',
  defaultConcurrency: 8,

  chat: async (model, request, call) => {
    // Loaded on first use: the SDK is heavy and most CLI commands never call a model.
    const { createAnthropic } = await import('@ai-sdk/anthropic')
    const anthropic = createAnthropic({ baseURL: call.baseURL, apiKey: call.apiKey, fetch: call.fetch })
    return streamChat(anthropic(model), request, call, { maxTokens: defaultMaxTokens })
  },
}
