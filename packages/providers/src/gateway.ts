import {
  type ChatRequest,
  type ChatResult,
  type ImageEditRequest,
  type ImageRequest,
  type ImageResult,
  type ModelGateway,
  type NodeContext,
  NodeError,
  parseModelId,
  type SpeechRequest,
  type SpeechResult,
  type TranscriptionRequest,
  type TranscriptionResult,
  type VideoRequest,
  type VideoResult,
} from '@patchbay/core'
import { type CircuitBreakerPolicy, ConsecutiveBreaker, circuitBreaker, handleWhen } from 'cockatiel'
import type { ImageOutput, ProviderAdapter, ProviderCall } from './adapter.ts'
import { builtinAdapters } from './builtin-adapters.ts'
import { ModelCatalog } from './catalog/catalog.ts'
import { priceOf, type Usage } from './cost.ts'
import { type CredentialLookup, envCredentials } from './credentials.ts'
import { isOutage, toNodeError } from './errors.ts'
import { storeMedia } from './media.ts'
import { createProviderCall } from './provider-call.ts'
import { ProviderDirectory, type ProviderEntry } from './provider-directory.ts'

export interface GatewayOptions {
  /** Base URLs, named endpoints and (by default) credentials are read from here. */
  env?: NodeJS.ProcessEnv
  credentials?: CredentialLookup
  adapters?: readonly ProviderAdapter[]
  catalog?: ModelCatalog
  fetch?: typeof fetch
  /** Limit for one HTTP request to a provider, body included. Default 5 minutes. */
  requestTimeoutMs?: number
  /** Between status polls of asynchronous jobs. Default 2 s. */
  pollIntervalMs?: number
  /** Consecutive outage errors that open a provider's circuit, and how long it stays open. */
  breaker?: { failures: number; halfOpenAfterMs: number }
}

type Capability = 'chat' | 'generateImage' | 'editImage' | 'generateVideo' | 'speak' | 'transcribe'

/** Names of capabilities as users see them (the node that needs it). */
const capabilityNames: Record<Capability, string> = {
  chat: 'chat',
  generateImage: 'image generation',
  editImage: 'image editing',
  generateVideo: 'video generation',
  speak: 'speech',
  transcribe: 'transcription',
}

/**
 * The model gateway: resolves `provider/model`, finds the credential, calls the provider's
 * adapter behind a per-provider circuit breaker, stores what comes back as assets, prices
 * the call from the catalog and adds that to the node execution's cost.
 */
export class Gateway implements ModelGateway {
  readonly catalog: ModelCatalog
  readonly providers: ProviderDirectory
  private readonly credentials: CredentialLookup
  private readonly fetchImpl: typeof fetch
  private readonly requestTimeoutMs: number
  private readonly pollIntervalMs: number
  private readonly breakerSettings: { failures: number; halfOpenAfterMs: number }
  private readonly breakers = new Map<string, CircuitBreakerPolicy>()

  constructor(options: GatewayOptions = {}) {
    const env = options.env ?? process.env
    // The AI SDK prints warnings about ignored settings to the console, which would tear
    // through the CLI's live view; adapters map settings themselves and log what they drop.
    const sdkGlobals = globalThis as { AI_SDK_LOG_WARNINGS?: unknown }
    sdkGlobals.AI_SDK_LOG_WARNINGS ??= false
    this.catalog = options.catalog ?? new ModelCatalog()
    this.providers = new ProviderDirectory(options.adapters ?? builtinAdapters(env), env)
    this.credentials = options.credentials ?? envCredentials(env)
    this.fetchImpl = options.fetch ?? fetch
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5 * 60_000
    this.pollIntervalMs = options.pollIntervalMs ?? 2000
    this.breakerSettings = options.breaker ?? { failures: 5, halfOpenAfterMs: 30_000 }
  }

  async chat(request: ChatRequest, ctx: NodeContext): Promise<ChatResult> {
    const { model, ...rest } = request
    return this.invoke(model, 'chat', ctx, async (adapter, id, call) => {
      const output = await need(adapter.chat?.bind(adapter))(id, rest, call)
      const usage: Usage = {
        ...(output.inputTokens === undefined ? {} : { inputTokens: output.inputTokens }),
        ...(output.outputTokens === undefined ? {} : { outputTokens: output.outputTokens }),
      }
      return { result: output, usage }
    })
  }

  async generateImage(request: ImageRequest, ctx: NodeContext): Promise<ImageResult> {
    const { model, ...rest } = request
    return this.invoke(model, 'generateImage', ctx, async (adapter, id, call) => {
      const output = await need(adapter.generateImage?.bind(adapter))(id, rest, call)
      return this.storeImages(output, call, ctx)
    })
  }

  async editImage(request: ImageEditRequest, ctx: NodeContext): Promise<ImageResult> {
    const { model, ...rest } = request
    return this.invoke(model, 'editImage', ctx, async (adapter, id, call) => {
      const output = await need(adapter.editImage?.bind(adapter))(id, rest, call)
      return this.storeImages(output, call, ctx)
    })
  }

  async generateVideo(request: VideoRequest, ctx: NodeContext): Promise<VideoResult> {
    const { model, ...rest } = request
    return this.invoke(model, 'generateVideo', ctx, async (adapter, id, call) => {
      const output = await need(adapter.generateVideo?.bind(adapter))(id, rest, call)
      const video = await storeMedia(output.video, 'video', call, ctx.assets)
      const seconds = video.durationMs !== undefined ? video.durationMs / 1000 : request.durationSeconds
      const fallback = this.catalog.get(model)?.params.defaultDuration
      return { result: { video }, usage: { videoSeconds: seconds ?? fallback ?? 0 } }
    })
  }

  async speak(request: SpeechRequest, ctx: NodeContext): Promise<SpeechResult> {
    const { model, ...rest } = request
    return this.invoke(model, 'speak', ctx, async (adapter, id, call) => {
      const output = await need(adapter.speak?.bind(adapter))(id, rest, call)
      const audio = await storeMedia(output.audio, 'audio', call, ctx.assets)
      return { result: { audio }, usage: { characters: request.text.length } }
    })
  }

  async transcribe(request: TranscriptionRequest, ctx: NodeContext): Promise<TranscriptionResult> {
    const { model, ...rest } = request
    return this.invoke(model, 'transcribe', ctx, async (adapter, id, call) => {
      const output = await need(adapter.transcribe?.bind(adapter))(id, rest, call)
      const seconds =
        output.durationSeconds ?? (request.audio.durationMs === undefined ? undefined : request.audio.durationMs / 1000)
      return { result: output, usage: seconds === undefined ? {} : { audioSeconds: seconds } }
    })
  }

  /** The provider of a model id, or a node error saying what is wrong with the id. */
  resolve(modelId: string): { entry: ProviderEntry; model: string } {
    const parsed = parseModelId(modelId)
    if (!parsed) {
      throw new NodeError('INVALID_MODEL_ID', `"${modelId}" is not a model id of the form provider/model`)
    }
    const entry = this.providers.get(parsed.provider)
    if (!entry) {
      const known = this.providers
        .list()
        .map((item) => item.adapter.id)
        .join(', ')
      throw new NodeError('UNKNOWN_PROVIDER', `unknown provider "${parsed.provider}" in "${modelId}" (known: ${known})`)
    }
    return { entry, model: parsed.model }
  }

  /** Whether the credential a provider needs is available to `orgId`. */
  async hasCredential(entry: ProviderEntry, orgId: string): Promise<boolean> {
    const name = entry.adapter.credentialEnv
    if (!name || entry.adapter.credentialOptional) return true
    return (await this.credentials.get(orgId, name)) !== undefined
  }

  /** The price of `usage` on a model: 0 on local servers, null when unknown. */
  priceOf(modelId: string, usage: Usage): number | null {
    return this.isLocal(modelId) ? 0 : priceOf(this.catalog.get(modelId)?.price, usage)
  }

  /** Whether the model runs on a server the operator runs (free, no credential). */
  isLocal(modelId: string): boolean {
    const parsed = parseModelId(modelId)
    return parsed !== undefined && this.providers.get(parsed.provider)?.local === true
  }

  private async invoke<R extends { cost: number | null }>(
    modelId: string,
    capability: Capability,
    ctx: NodeContext,
    // The cost is the gateway's to work out, from the usage the call reports.
    perform: (
      adapter: ProviderAdapter,
      model: string,
      call: ProviderCall,
    ) => Promise<{ result: Omit<R, 'cost'>; usage: Usage }>,
  ): Promise<R> {
    const { entry, model } = this.resolve(modelId)
    const { adapter } = entry
    if (!adapter[capability]) {
      throw new NodeError(
        'UNSUPPORTED_CAPABILITY',
        `${adapter.title} does not offer ${capabilityNames[capability]} (model "${modelId}")`,
      )
    }
    const apiKey = adapter.credentialEnv ? await this.credentials.get(ctx.orgId, adapter.credentialEnv) : undefined
    if (adapter.credentialEnv && !adapter.credentialOptional && apiKey === undefined) {
      throw new NodeError('MISSING_CREDENTIAL', `${adapter.title} needs a credential: set ${adapter.credentialEnv}`, {
        details: { variable: adapter.credentialEnv },
      })
    }
    const call = createProviderCall(ctx, {
      apiKey,
      baseURL: entry.baseURL,
      requestTimeoutMs: this.requestTimeoutMs,
      pollIntervalMs: this.pollIntervalMs,
      fetch: this.fetchImpl,
    })
    const started = Date.now()
    try {
      const { result, usage } = await this.breakerFor(adapter.id).execute(() => perform(adapter, model, call))
      const cost = this.priceOf(modelId, usage)
      if (cost !== null) ctx.addCost(cost)
      ctx.log.info('model call finished', { model: modelId, ms: Date.now() - started, cost, ...usage })
      return { ...result, cost } as R
    } catch (error) {
      throw toNodeError(error, {
        providerTitle: adapter.title,
        ...(adapter.credentialEnv ? { credentialEnv: adapter.credentialEnv } : {}),
        baseURL: entry.baseURL,
        signal: ctx.signal,
        halfOpenAfterMs: this.breakerSettings.halfOpenAfterMs,
      })
    }
  }

  private async storeImages(
    output: ImageOutput,
    call: ProviderCall,
    ctx: NodeContext,
  ): Promise<{ result: Omit<ImageResult, 'cost'>; usage: Usage }> {
    if (output.images.length === 0) throw new NodeError('GENERATION_FAILED', 'the provider returned no images')
    const images = await Promise.all(output.images.map((source) => storeMedia(source, 'image', call, ctx.assets)))
    const result = { images, ...(output.seed === undefined ? {} : { seed: output.seed }) }
    return { result, usage: { images: images.length } }
  }

  private breakerFor(providerId: string): CircuitBreakerPolicy {
    let breaker = this.breakers.get(providerId)
    if (!breaker) {
      breaker = circuitBreaker(handleWhen(isOutage), {
        halfOpenAfter: this.breakerSettings.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(this.breakerSettings.failures),
      })
      this.breakers.set(providerId, breaker)
    }
    return breaker
  }
}

function need<F>(method: F | undefined): F {
  if (!method) throw new Error('capability checked before the call')
  return method
}

/** A gateway on this process's environment: built-in providers, env credentials, the built-in catalog. */
export function createGateway(options: GatewayOptions = {}): Gateway {
  return new Gateway(options)
}
