import type { ChatRequest } from '@patchbay/core'
import { streamText } from 'ai'
import type { AdapterRequest, ChatOutput, ProviderCall } from '../../adapter.ts'
import { imagePart, readInputImage } from './input-images.ts'
import { googleProvider } from './provider.ts'

/** Gemini chat over `:streamGenerateContent?alt=sse`, reporting the text as it grows. */
export async function googleChat(
  model: string,
  request: AdapterRequest<ChatRequest>,
  call: ProviderCall,
): Promise<ChatOutput> {
  const images = await Promise.all((request.images ?? []).map((ref) => readInputImage(call, ref)))
  const result = streamText({
    model: googleProvider(call)(model),
    system: request.system,
    messages: [{ role: 'user', content: [{ type: 'text', text: request.prompt }, ...images.map(imagePart)] }],
    temperature: request.temperature,
    maxOutputTokens: request.maxTokens,
    maxRetries: 0,
    abortSignal: call.signal,
    // The error arrives as a stream part and is rethrown below; the default handler would also log it.
    onError: () => {},
  })

  let text = ''
  let usage: { inputTokens?: number | undefined; outputTokens?: number | undefined } | undefined
  for await (const part of result.fullStream) {
    if (part.type === 'text-delta') {
      text += part.text
      request.onText?.(text)
    } else if (part.type === 'error') {
      throw part.error
    } else if (part.type === 'finish') {
      usage = part.totalUsage
    }
  }
  // An abort ends the stream with an `abort` part instead of an error.
  call.signal.throwIfAborted()
  return { text, inputTokens: usage?.inputTokens, outputTokens: usage?.outputTokens }
}
