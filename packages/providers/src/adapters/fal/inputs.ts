import type { ImageEditRequest, ImageRequest, VideoRequest } from '@patchbay/core'
import type { AdapterRequest, ProviderCall } from '../../adapter.ts'
import { dataUriOf } from '../remote-job.ts'
import { parseSize } from '../size.ts'

/** fal's named `image_size` presets for the ratios it has one for. */
const imageSizeByAspectRatio: Record<string, string> = {
  '1:1': 'square_hd',
  '4:3': 'landscape_4_3',
  '3:4': 'portrait_4_3',
  '16:9': 'landscape_16_9',
  '9:16': 'portrait_16_9',
}

/**
 * Input for fal text/image-to-image endpoints. Reference images go both as `image_url` and
 * `image_urls` because endpoints differ in which one they read. The ratio also goes as
 * `aspect_ratio`, which newer endpoints (e.g. flux-pro ultra, imagen4) take instead of `image_size`.
 */
export async function falImageInput(request: AdapterRequest<ImageRequest>, call: ProviderCall) {
  const references = await Promise.all((request.images ?? []).map((ref) => dataUriOf(call, ref)))
  return {
    prompt: request.prompt,
    negative_prompt: request.negativePrompt,
    num_images: request.n,
    seed: request.seed,
    image_size: imageSizeOf(request),
    aspect_ratio: request.size ? undefined : request.aspectRatio,
    image_url: references[0],
    image_urls: references.length > 0 ? references : undefined,
  }
}

/** A `WxH` size becomes `{width, height}`; anything else (e.g. a preset name) passes through for fal to judge. */
function imageSizeOf(request: AdapterRequest<ImageRequest>): string | { width: number; height: number } | undefined {
  if (request.size) return parseSize(request.size) ?? request.size
  if (request.aspectRatio) return imageSizeByAspectRatio[request.aspectRatio]
  return undefined
}

/** Input for fal edit endpoints; as for references, the image goes under both names. */
export async function falEditInput(request: AdapterRequest<ImageEditRequest>, call: ProviderCall) {
  const image = await dataUriOf(call, request.image)
  return {
    prompt: request.prompt,
    image_url: image,
    image_urls: [image],
    mask_url: request.mask ? await dataUriOf(call, request.mask) : undefined,
  }
}

export async function falVideoInput(request: AdapterRequest<VideoRequest>, call: ProviderCall) {
  return {
    prompt: request.prompt,
    negative_prompt: request.negativePrompt,
    image_url: request.image ? await dataUriOf(call, request.image) : undefined,
    end_image_url: request.lastFrame ? await dataUriOf(call, request.lastFrame) : undefined,
    // fal video endpoints take the duration as an enum of strings ("5", "10").
    duration: request.durationSeconds === undefined ? undefined : String(request.durationSeconds),
    aspect_ratio: request.aspectRatio,
    resolution: request.resolution,
    seed: request.seed,
  }
}
