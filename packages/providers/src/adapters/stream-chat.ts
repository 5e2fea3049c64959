import type { ChatRequest } from '@patchbay/core'
import type { LanguageModel, ModelMessage, UserContent } from 'ai'
import type { AdapterRequest, ChatOutput, ProviderCall } from '../adapter.ts'

/**
 * One chat turn through the AI SDK's `streamText`, shared by every adapter whose provider
 * the SDK speaks (OpenAI Responses, OpenAI-compatible chat completions, Anthropic Messages,
 * Gemini).
 * Reports the growing text through `request.onText` and returns the provider's token counts.
 */
export async function streamChat(
  model: LanguageModel,
  request: AdapterRequest<ChatRequest>,
  call: ProviderCall,
  defaults: { maxTokens?: number; imagesFirst?: boolean } = {},
): Promise<ChatOutput> {
  // Loaded on first use: the SDK is heavy and most CLI commands never call a model.
  const { streamText } = await import('ai')
  const result = streamText({
    model,
    ...(request.system ? { system: request.system } : {}),
    messages: [await userMessage(request, call, defaults.imagesFirst ?? true)],
    temperature: request.temperature,
    maxOutputTokens: request.maxTokens ?? defaults.maxTokens,
    maxRetries: 0,
    abortSignal: call.signal,
    // streamText reports errors as stream parts (read below) and would also log them by default.
    onError: () => {},
  })

  let text = ''
  let inputTokens: number | undefined
  let outputTokens: number | undefined
  for await (const part of result.fullStream) {
    switch (part.type) {
      case 'text-delta':
        if (part.text.length === 0) break
        text += part.text
        request.onText?.(text)
        break
      case 'finish':
        inputTokens = part.totalUsage.inputTokens
        outputTokens = part.totalUsage.outputTokens
        break
      case 'error':
        // An abort can also surface as an error part; report it as the abort it is.
        call.signal.throwIfAborted()
        throw part.error
      case 'abort':
        // call.signal is the only signal this stream listens to.
        throw call.signal.reason
    }
  }
  return { text, inputTokens, outputTokens }
}

async function userMessage(
  request: AdapterRequest<ChatRequest>,
  call: ProviderCall,
  imagesFirst: boolean,
): Promise<ModelMessage> {
  const images = request.images ?? []
  if (images.length === 0) return { role: 'user', content: request.prompt }
  // Images before the question is the order Anthropic documents as working best.
  const content: Exclude<UserContent, string> = []
  for (const ref of images) {
    content.push({ type: 'image', image: await call.readAsset(ref), mediaType: ref.mime })
  }
  const text = { type: 'text' as const, text: request.prompt }
  return { role: 'user', content: imagesFirst ? [...content, text] : [text, ...content] }
}
