import type { ProviderAdapter } from '../adapter.ts'
import { falEditInput, falImageInput, falVideoInput } from './fal/inputs.ts'
import { runFalRequest } from './fal/queue.ts'
import { falImageOutput, falVideoOutput } from './fal/results.ts'

/**
 * fal through its queue API, spoken directly (rather than through the AI SDK) for queue
 * position, progress from the logs and cancellation on abort. Model ids are fal endpoint
 * ids such as `fal-ai/flux/schnell`.
 */
export const falAdapter: ProviderAdapter = {
  id: 'fal',
  title: 'fal',
  credentialEnv: 'FAL_KEY',
  baseUrlEnv: 'FAL_BASE_URL',
  defaultBaseURL: 'https://queue.fal.run',
  defaultConcurrency: 16,
  generateImage: async (endpoint, request, call) =>
    falImageOutput(endpoint, await runFalRequest(endpoint, await falImageInput(request, call), call)),
  editImage: async (endpoint, request, call) =>
    falImageOutput(endpoint, await runFalRequest(endpoint, await falEditInput(request, call), call)),
  generateVideo: async (endpoint, request, call) =>
    falVideoOutput(endpoint, await runFalRequest(endpoint, await falVideoInput(request, call), call)),
}
