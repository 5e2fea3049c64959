import type { ChatRequest } from '@patchbay/core'
import type { AdapterRequest, ChatOutput, ProviderCall } from '../../adapter.ts'
import { streamChat } from '../stream-chat.ts'
import { googleProvider } from './provider.ts'

/** Gemini chat over `:streamGenerateContent?alt=sse`: the prompt, then any images. */
export async function googleChat(
  model: string,
  request: AdapterRequest<ChatRequest>,
  call: ProviderCall,
): Promise<ChatOutput> {
  return streamChat((await googleProvider(call))(model), request, call, { imagesFirst: false })
}
