import type { ProviderAdapter } from '../adapter.ts'
import { replicateEditInput, replicateImageInput, replicateVideoInput } from './replicate/inputs.ts'
import { replicateImageOutput, replicateVideoOutput } from './replicate/outputs.ts'
import { runPrediction } from './replicate/predictions.ts'

/**
 * Replicate's predictions API, spoken directly (rather than through the AI SDK) for progress
 * from the logs and cancellation on abort. Model ids are `owner/name` or `owner/name:version`.
 */
export const replicateAdapter: ProviderAdapter = {
  id: 'replicate',
  title: 'Replicate',
  credentialEnv: 'REPLICATE_API_TOKEN',
  baseUrlEnv: 'REPLICATE_BASE_URL',
  defaultBaseURL: 'https://api.replicate.com/v1',
  defaultConcurrency: 8,
  generateImage: async (model, request, call) =>
    replicateImageOutput(
      model,
      await runPrediction(model, await replicateImageInput(request, call), call),
      request.seed,
    ),
  editImage: async (model, request, call) =>
    replicateImageOutput(model, await runPrediction(model, await replicateEditInput(request, call), call)),
  generateVideo: async (model, request, call) =>
    replicateVideoOutput(model, await runPrediction(model, await replicateVideoInput(request, call), call)),
}
