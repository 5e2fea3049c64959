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
export { ProviderHttpError, ProviderJobError, requestJson } from './http.ts'
