import type { ImageOutput, MediaSource, VideoOutput } from '../../adapter.ts'
import { ProviderJobError } from '../../http.ts'

/** fal's File object, as image and video endpoints return it. */
interface FalFile {
  url?: unknown
  content_type?: unknown
  width?: unknown
  height?: unknown
}

interface FalMediaResult {
  images?: unknown
  image?: unknown
  video?: unknown
  seed?: unknown
}

/** `{images: [File], seed}`; a few endpoints (upscalers, some editors) return a single `image`. */
export function falImageOutput(endpoint: string, result: unknown): ImageOutput {
  const { images, image, seed } = asRecord(result)
  const files = Array.isArray(images) ? images : image === undefined ? [] : [image]
  const sources = files.map(mediaSourceOf).filter((source) => source !== undefined)
  if (sources.length === 0) throw new ProviderJobError(`fal endpoint ${endpoint} returned no images`)
  return { images: sources, seed: typeof seed === 'number' ? seed : undefined }
}

export function falVideoOutput(endpoint: string, result: unknown): VideoOutput {
  const video = mediaSourceOf(asRecord(result).video)
  if (!video) throw new ProviderJobError(`fal endpoint ${endpoint} returned no video`)
  return { video }
}

function mediaSourceOf(file: unknown): MediaSource | undefined {
  const { url, content_type, width, height } = (typeof file === 'object' && file !== null ? file : {}) as FalFile
  if (typeof url !== 'string' || url.length === 0) return undefined
  return {
    url,
    mime: typeof content_type === 'string' ? content_type : undefined,
    width: typeof width === 'number' ? width : undefined,
    height: typeof height === 'number' ? height : undefined,
  }
}

function asRecord(result: unknown): FalMediaResult {
  return typeof result === 'object' && result !== null ? (result as FalMediaResult) : {}
}
