import type { AssetRef, VideoRequest } from '@patchbay/core'
import type { AdapterRequest, ProviderCall, VideoOutput } from '../../adapter.ts'
import { ProviderJobError, requestJson } from '../../http.ts'
import { isSameOrigin } from '../remote-job.ts'
import { readInputImage } from './input-images.ts'
import { apiKeyHeaders } from './provider.ts'

/** A long-running operation as `:predictLongRunning` and `GET /{name}` return it. */
interface VeoOperation {
  name?: string
  done?: boolean
  error?: { code?: number; message: string; status?: string }
  response?: {
    generateVideoResponse?: {
      generatedSamples?: Array<{ video?: { uri?: string } }>
      raiMediaFilteredReasons?: string[]
    }
  }
}

/** Same mapping the AI SDK applies to pixel sizes; labels such as `720p` pass through. */
const resolutionLabels: Record<string, string> = { '1280x720': '720p', '1920x1080': '1080p', '3840x2160': '4k' }

/**
 * Veo through the Gemini API's long-running operations. Implemented directly because the
 * AI SDK's video helper polls silently; this one reports elapsed time. Veo operations
 * cannot be cancelled, so an abort just stops polling.
 */
export async function generateVeoVideo(
  model: string,
  request: AdapterRequest<VideoRequest>,
  call: ProviderCall,
): Promise<VideoOutput> {
  const headers = apiKeyHeaders(call)
  const started = Date.now()
  let operation = await requestJson<VeoOperation>(call, `${call.baseURL}/models/${model}:predictLongRunning`, {
    headers,
    body: { instances: [await instanceFor(request, call)], parameters: parametersFor(request) },
  })
  const name = operation.name
  if (!name) throw new ProviderJobError(`${model} returned no operation name`)
  call.progress(null, 'generating (0s)')
  while (!operation.done) {
    await call.sleep(call.pollIntervalMs)
    operation = await requestJson<VeoOperation>(call, `${call.baseURL}/${name}`, { headers })
    call.progress(null, `generating (${Math.round((Date.now() - started) / 1000)}s)`)
  }
  if (operation.error) throw new ProviderJobError(operation.error.message)

  const result = operation.response?.generateVideoResponse
  const uri = result?.generatedSamples?.find((sample) => sample.video?.uri)?.video?.uri
  if (!uri) {
    const reasons = result?.raiMediaFilteredReasons?.join('; ')
    throw new ProviderJobError(`${model} returned no video${reasons ? `: ${reasons}` : ''}`)
  }
  // The file URI needs the key, but it must not leak to another host.
  const sameHost = isSameOrigin(uri, call.baseURL)
  return { video: { url: uri, ...(sameHost ? { headers } : {}), mime: 'video/mp4' } }
}

async function instanceFor(request: AdapterRequest<VideoRequest>, call: ProviderCall) {
  return {
    prompt: request.prompt,
    ...(request.image ? { image: await encodedImage(call, request.image) } : {}),
    ...(request.lastFrame ? { lastFrame: await encodedImage(call, request.lastFrame) } : {}),
  }
}

async function encodedImage(call: ProviderCall, ref: AssetRef) {
  const image = await readInputImage(call, ref)
  return { bytesBase64Encoded: Buffer.from(image.bytes).toString('base64'), mimeType: image.mime }
}

function parametersFor(request: AdapterRequest<VideoRequest>): Record<string, unknown> {
  const parameters: Record<string, unknown> = {}
  if (request.aspectRatio) parameters.aspectRatio = request.aspectRatio
  if (request.durationSeconds !== undefined) parameters.durationSeconds = request.durationSeconds
  if (request.resolution) parameters.resolution = resolutionLabels[request.resolution] ?? request.resolution
  if (request.negativePrompt) parameters.negativePrompt = request.negativePrompt
  if (request.seed !== undefined) parameters.seed = request.seed
  return parameters
}
