import type {
  AssetRef,
  ChatRequest,
  ImageEditRequest,
  ImageRequest,
  NodeLogger,
  SpeechRequest,
  TranscriptionRequest,
  VideoRequest,
} from '@patchbay/core'

/**
 * Everything an adapter needs for one call. The gateway builds it: credential, base URL,
 * a `fetch` bound to the cancellation signal and the per-request time limit, and access
 * to input assets. Adapters never see the node context itself.
 */
export interface ProviderCall {
  /** The credential, or undefined for providers that need none (ComfyUI, local endpoints). */
  apiKey: string | undefined
  /** Without a trailing slash. */
  baseURL: string
  signal: AbortSignal
  /** Use for every request (also pass it to AI SDK providers as their `fetch`). */
  fetch: typeof fetch
  progress(fraction: number | null, message?: string): void
  log: NodeLogger
  readAsset(ref: AssetRef): Promise<Uint8Array>
  /** How long to wait between status polls of an asynchronous job. */
  pollIntervalMs: number
  /** Waits `ms`, rejecting early when the signal aborts. */
  sleep(ms: number): Promise<void>
}

/**
 * Generated media as the provider hands it over: bytes already in memory, or a URL that
 * the gateway streams into the asset store (provider URLs expire, so nothing keeps them).
 */
export type MediaSource = (
  | { bytes: Uint8Array }
  | {
      url: string /** Sent with the download, e.g. the API key for Google file URIs. */
      headers?: Record<string, string>
    }
) & {
  /** Falls back to the download's Content-Type, then to sniffing. */
  mime?: string
  width?: number
  height?: number
  durationMs?: number
}

export interface ChatOutput {
  text: string
  inputTokens?: number
  outputTokens?: number
}

export interface ImageOutput {
  images: MediaSource[]
  seed?: number
}

export interface VideoOutput {
  video: MediaSource
}

export interface SpeechOutput {
  audio: MediaSource
}

export interface TranscriptionOutput {
  text: string
  durationSeconds?: number
}

/** The request an adapter gets: the node's request with `model` reduced to the provider's own id. */
export type AdapterRequest<R extends { model: string }> = Omit<R, 'model'>

/**
 * One provider behind the gateway. Implement the capabilities the provider has; the
 * gateway turns what they throw into node errors (see `errors.ts`: AI SDK `APICallError`
 * and {@link ProviderHttpError} carry status and headers, anything else is treated as a
 * network failure) and stores returned media.
 */
export interface ProviderAdapter {
  id: string
  title: string
  /** Environment variable holding the credential; absent when none is needed. */
  credentialEnv?: string
  /** The credential is sent when set but not required (local OpenAI-compatible servers). */
  credentialOptional?: boolean
  /** Environment variable overriding the base URL. */
  baseUrlEnv: string
  defaultBaseURL: string
  /** Calls in flight at once per process unless the operator says otherwise. */
  defaultConcurrency: number
  chat?(model: string, request: AdapterRequest<ChatRequest>, call: ProviderCall): Promise<ChatOutput>
  generateImage?(model: string, request: AdapterRequest<ImageRequest>, call: ProviderCall): Promise<ImageOutput>
  editImage?(model: string, request: AdapterRequest<ImageEditRequest>, call: ProviderCall): Promise<ImageOutput>
  generateVideo?(model: string, request: AdapterRequest<VideoRequest>, call: ProviderCall): Promise<VideoOutput>
  speak?(model: string, request: AdapterRequest<SpeechRequest>, call: ProviderCall): Promise<SpeechOutput>
  transcribe?(
    model: string,
    request: AdapterRequest<TranscriptionRequest>,
    call: ProviderCall,
  ): Promise<TranscriptionOutput>
}
