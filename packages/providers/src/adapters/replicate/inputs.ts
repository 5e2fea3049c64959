import type { ImageEditRequest, ImageRequest, VideoRequest } from '@patchbay/core'
import type { AdapterRequest, ProviderCall } from '../../adapter.ts'
import { ProviderHttpError } from '../../http.ts'
import { dataUriOf } from '../remote-job.ts'
import { parseSize } from '../size.ts'

/** Input names most Replicate image models share (flux, sdxl, ideogram, …); models ignore the rest. */
export async function replicateImageInput(request: AdapterRequest<ImageRequest>, call: ProviderCall) {
  const size = request.size === undefined ? undefined : parseSize(request.size)
  if (request.size !== undefined && !size) {
    throw new ProviderHttpError(400, `size must look like 1024x1024, got "${request.size}"`)
  }
  const reference = request.images?.[0]
  return {
    prompt: request.prompt,
    negative_prompt: request.negativePrompt,
    num_outputs: request.n,
    seed: request.seed,
    aspect_ratio: request.aspectRatio,
    width: size?.width,
    height: size?.height,
    image: reference ? await dataUriOf(call, reference) : undefined,
  }
}

export async function replicateEditInput(request: AdapterRequest<ImageEditRequest>, call: ProviderCall) {
  return {
    prompt: request.prompt,
    image: await dataUriOf(call, request.image),
    mask: request.mask ? await dataUriOf(call, request.mask) : undefined,
  }
}

/** Names as Kling, Wan and Seedance on Replicate take them. */
export async function replicateVideoInput(request: AdapterRequest<VideoRequest>, call: ProviderCall) {
  return {
    prompt: request.prompt,
    negative_prompt: request.negativePrompt,
    start_image: request.image ? await dataUriOf(call, request.image) : undefined,
    end_image: request.lastFrame ? await dataUriOf(call, request.lastFrame) : undefined,
    duration: request.durationSeconds,
    aspect_ratio: request.aspectRatio,
    resolution: request.resolution,
    seed: request.seed,
  }
}
