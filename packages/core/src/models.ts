import type { AssetRef } from './data-types.ts'
import { NodeError } from './errors.ts'
import type { NodeContext } from './node-sdk.ts'

/** What a model can do; the catalog lists these per model and nodes ask for one. */
export const modelCapabilities = [
  'chat',
  'image.generate',
  'image.edit',
  'video.generate',
  'audio.speech',
  'audio.transcribe',
] as const
export type ModelCapability = (typeof modelCapabilities)[number]

export interface ChatRequest {
  /** `provider/model`, e.g. `openai/gpt-4.1-mini` or `ollama/llama3.2`. */
  model: string
  prompt: string
  system?: string
  /** Images shown to the model with the prompt. */
  images?: AssetRef[]
  temperature?: number
  maxTokens?: number
  /** Called with the whole text so far each time more streams in. */
  onText?: (textSoFar: string) => void
}

export interface ChatResult {
  text: string
  inputTokens?: number
  outputTokens?: number
  /** US dollars; null when the model's price is unknown. */
  cost: number | null
}

export interface ImageRequest {
  model: string
  prompt: string
  negativePrompt?: string
  /** Reference images (image-to-image, style or subject references). */
  images?: AssetRef[]
  n?: number
  seed?: number
  /** `16:9`, `1:1`, … */
  aspectRatio?: string
  /** `1024x1024`, … */
  size?: string
}

export interface ImageEditRequest {
  model: string
  prompt: string
  image: AssetRef
  /** Transparent where the image should change. */
  mask?: AssetRef
}

export interface ImageResult {
  images: AssetRef[]
  /** The seed the provider used, when it says. */
  seed?: number
  cost: number | null
}

export interface VideoRequest {
  model: string
  prompt: string
  negativePrompt?: string
  /** First frame. */
  image?: AssetRef
  lastFrame?: AssetRef
  durationSeconds?: number
  aspectRatio?: string
  /** `720p`, `1080p`, … */
  resolution?: string
  seed?: number
}

export interface VideoResult {
  video: AssetRef
  cost: number | null
}

export interface SpeechRequest {
  model: string
  text: string
  voice?: string
}

export interface SpeechResult {
  audio: AssetRef
  cost: number | null
}

export interface TranscriptionRequest {
  model: string
  audio: AssetRef
  /** ISO-639-1 code, e.g. `en`. */
  language?: string
}

export interface TranscriptionResult {
  text: string
  durationSeconds?: number
  cost: number | null
}

/**
 * One door to every hosted and local model. Each call stores generated media in
 * `ctx.assets`, honours `ctx.signal`, reports progress and adds its cost to the execution.
 * Failures are {@link NodeError}s: retryable for rate limits and outages, not for rejected input.
 */
export interface ModelGateway {
  chat(request: ChatRequest, ctx: NodeContext): Promise<ChatResult>
  generateImage(request: ImageRequest, ctx: NodeContext): Promise<ImageResult>
  editImage(request: ImageEditRequest, ctx: NodeContext): Promise<ImageResult>
  generateVideo(request: VideoRequest, ctx: NodeContext): Promise<VideoResult>
  speak(request: SpeechRequest, ctx: NodeContext): Promise<SpeechResult>
  transcribe(request: TranscriptionRequest, ctx: NodeContext): Promise<TranscriptionResult>
}

/** Splits `provider/model` at the first slash; the model part may contain more slashes. */
export function parseModelId(id: string): { provider: string; model: string } | undefined {
  const slash = id.indexOf('/')
  if (slash <= 0 || slash === id.length - 1) return undefined
  return { provider: id.slice(0, slash), model: id.slice(slash + 1) }
}

/**
 * A model a node will call with its current params, declared so that a run can be checked
 * (provider known, credential present, params in range) and priced before it starts.
 */
export interface ModelUse {
  model: string
  capability: ModelCapability
  /** Images the call returns. */
  images?: number
  /** Seconds of video requested. */
  seconds?: number
  /** Most tokens the reply may have. */
  maxOutputTokens?: number
  /** Params to check against the catalog's ranges. */
  aspectRatio?: string
  size?: string
  resolution?: string
  voice?: string
  temperature?: number
  firstFrame?: boolean
  lastFrame?: boolean
}

/** The gateway of a process that was started without one: every call fails with a clear error. */
export function unavailableModelGateway(): ModelGateway {
  const fail = (): Promise<never> =>
    Promise.reject(
      new NodeError('NO_MODEL_GATEWAY', 'model nodes are not available in this process (no model gateway configured)'),
    )
  return { chat: fail, generateImage: fail, editImage: fail, generateVideo: fail, speak: fail, transcribe: fail }
}

/** The engine resource key under which one provider's calls share a concurrency limit. */
export function providerResourceKey(providerId: string): string {
  return `provider:${providerId}`
}
