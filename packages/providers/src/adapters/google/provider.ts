import { createGoogleGenerativeAI } from '@ai-sdk/google'
import type { ProviderCall } from '../../adapter.ts'

/** The AI SDK Google provider for one call: its key, base URL and cancellable fetch. */
export function googleProvider(call: ProviderCall) {
  return createGoogleGenerativeAI({ apiKey: call.apiKey, baseURL: call.baseURL, fetch: call.fetch })
}

/** Headers for requests the adapter sends itself (the AI SDK adds its own). */
export function apiKeyHeaders(call: Pick<ProviderCall, 'apiKey'>): Record<string, string> {
  return call.apiKey === undefined ? {} : { 'x-goog-api-key': call.apiKey }
}
