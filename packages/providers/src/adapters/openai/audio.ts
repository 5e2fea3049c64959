import type { SpeechRequest, TranscriptionRequest } from '@patchbay/core'
import type { SpeechModel, TranscriptionModel } from 'ai'
import type { AdapterRequest, ProviderCall, SpeechOutput, TranscriptionOutput } from '../../adapter.ts'

/** `/audio/speech`: the API's default format (mp3); the SDK names the bytes' type by sniffing them. */
export async function speakWith(
  model: SpeechModel,
  request: AdapterRequest<SpeechRequest>,
  call: ProviderCall,
): Promise<SpeechOutput> {
  const { experimental_generateSpeech } = await import('ai')
  const result = await experimental_generateSpeech({
    model,
    text: request.text,
    voice: request.voice ?? 'alloy',
    maxRetries: 0,
    abortSignal: call.signal,
  })
  const { uint8Array, mediaType } = result.audio
  // The SDK's fallback name when sniffing fails is the non-standard `audio/mp3`.
  return { audio: { bytes: uint8Array, mime: mediaType === 'audio/mp3' ? 'audio/mpeg' : mediaType } }
}

/** `/audio/transcriptions` (multipart). */
export async function transcribeWith(
  model: TranscriptionModel,
  request: AdapterRequest<TranscriptionRequest>,
  call: ProviderCall,
): Promise<TranscriptionOutput> {
  const { experimental_transcribe } = await import('ai')
  const result = await experimental_transcribe({
    model,
    audio: await call.readAsset(request.audio),
    // Any `openai` options (even none) make the SDK ask for `verbose_json` where the model
    // supports it, which is the response that carries the duration.
    providerOptions: { openai: request.language ? { language: request.language } : {} },
    maxRetries: 0,
    abortSignal: call.signal,
  })
  return { text: result.text, durationSeconds: result.durationInSeconds }
}
