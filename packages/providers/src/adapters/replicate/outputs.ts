import type { ImageOutput, MediaSource, VideoOutput } from '../../adapter.ts'
import { ProviderJobError } from '../../http.ts'
import type { Prediction } from './predictions.ts'

/**
 * Every file URL in a prediction's output, in order. Output is model-defined: a URL, a list
 * of URLs, or an object holding them (`{video: url}`, `[{url}]`, …).
 */
export function outputUrls(output: unknown): string[] {
  if (typeof output === 'string') return /^(https?|data):/.test(output) ? [output] : []
  if (Array.isArray(output)) return output.flatMap(outputUrls)
  if (typeof output === 'object' && output !== null) return Object.values(output).flatMap(outputUrls)
  return []
}

export function replicateImageOutput(model: string, prediction: Prediction, requestedSeed?: number): ImageOutput {
  const images: MediaSource[] = outputUrls(prediction.output).map((url) => ({ url }))
  if (images.length === 0) throw new ProviderJobError(`Replicate model ${model} returned no images`)
  return { images, seed: requestedSeed ?? seedFromLogs(prediction.logs) }
}

export function replicateVideoOutput(model: string, prediction: Prediction): VideoOutput {
  const [url] = outputUrls(prediction.output)
  if (!url) throw new ProviderJobError(`Replicate model ${model} returned no video`)
  return { video: { url } }
}

/** Replicate returns no seed field, but most image models log the one they drew (`Using seed: 1234`). */
function seedFromLogs(logs: string | null | undefined): number | undefined {
  const match = logs ? /\bseed\b[^\d\n]{0,4}(\d+)/i.exec(logs) : null
  return match ? Number(match[1]) : undefined
}
