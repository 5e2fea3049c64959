import type { ProviderCall } from '../../adapter.ts'

/**
 * The AI SDK Google provider for one call: its key, base URL and cancellable fetch. Loaded on
 * first use: the SDK is heavy and most CLI commands never call a model.
 */
export async function googleProvider(call: ProviderCall) {
  const { createGoogleGenerativeAI } = await import('@ai-sdk/google')
  return createGoogleGenerativeAI({ apiKey: call.apiKey, baseURL: call.baseURL, fetch: call.fetch })
}

/** Headers for requests the adapter sends itself (the AI SDK adds its own). */
export function apiKeyHeaders(call: Pick<ProviderCall, 'apiKey'>): Record<string, string> {
  return call.apiKey === undefined ? {} : { 'x-goog-api-key': call.apiKey }
}
