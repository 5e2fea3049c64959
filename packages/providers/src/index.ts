export type {
  AdapterRequest,
  ChatOutput,
  ImageOutput,
  MediaSource,
  ProviderAdapter,
  ProviderCall,
  SpeechOutput,
  TranscriptionOutput,
  VideoOutput,
} from './adapter.ts'
export { anthropicAdapter } from './adapters/anthropic.ts'
export type { ComfyuiAdapterOptions } from './adapters/comfyui.ts'
export { comfyuiAdapter, createComfyuiAdapter } from './adapters/comfyui.ts'
export { falAdapter } from './adapters/fal.ts'
export { googleAdapter } from './adapters/google.ts'
export { openaiAdapter } from './adapters/openai.ts'
export { createCompatibleAdapter, ollamaEndpoint } from './adapters/openai-compatible.ts'
export { replicateAdapter } from './adapters/replicate.ts'
export { builtinAdapters } from './builtin-adapters.ts'
export { ModelCatalog } from './catalog/catalog.ts'
export { builtinModels } from './catalog/models.ts'
export type { ModelEntry, ModelEntryInput, ModelParams, ModelPrice } from './catalog/schema.ts'
export { modelEntrySchema } from './catalog/schema.ts'
export type { Usage } from './cost.ts'
export { priceOf } from './cost.ts'
export type { CredentialLookup } from './credentials.ts'
export { chainCredentials, envCredentials } from './credentials.ts'
export type { GatewayOptions } from './gateway.ts'
export { createGateway, Gateway } from './gateway.ts'
export { gatewayFromEnv } from './gateway-from-env.ts'
export { ProviderHttpError, ProviderJobError, requestJson } from './http.ts'
export type { CostEstimate, PlannedCall } from './preflight.ts'
export { checkModels, estimateCost, plannedCalls } from './preflight.ts'
export type { ProviderEntry } from './provider-directory.ts'
export { ProviderDirectory } from './provider-directory.ts'
