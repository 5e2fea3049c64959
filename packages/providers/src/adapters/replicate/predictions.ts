import type { ProviderCall } from '../../adapter.ts'
import { defaultErrorMessage, ProviderJobError, requestJson } from '../../http.ts'
import { cancelRemoteJobOnAbort, fractionFromLogs, isSameOrigin } from '../remote-job.ts'

export interface Prediction {
  id: string
  status: 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled'
  output?: unknown
  error?: unknown
  logs?: string | null
  urls?: { get?: string; cancel?: string }
  metrics?: { predict_time?: number }
}

/**
 * Runs one prediction to the end: create it, poll it (progress from tqdm percentages in the
 * logs), and return the succeeded prediction. Aborting cancels it on Replicate.
 * `model` is `owner/name` for official models or `owner/name:version`.
 */
export async function runPrediction(
  model: string,
  input: Record<string, unknown>,
  call: ProviderCall,
): Promise<Prediction> {
  const credentials: Record<string, string> = call.apiKey ? { authorization: `Bearer ${call.apiKey}` } : {}
  const headersFor = (url: string) => (isSameOrigin(url, call.baseURL) ? credentials : {})

  const { url, body } = createRequest(model, input, call.baseURL)
  const created = await requestJson<Prediction>(call, url, { headers: credentials, body }, replicateErrorMessage)
  const getUrl = created.urls?.get ?? `${call.baseURL}/predictions/${created.id}`
  const cancelUrl = created.urls?.cancel ?? `${getUrl}/cancel`
  const cancel = { url: cancelUrl, method: 'POST' as const, headers: headersFor(cancelUrl) }
  return cancelRemoteJobOnAbort(call, cancel, async () => {
    let prediction = created
    while (prediction.status === 'starting' || prediction.status === 'processing') {
      call.progress(prediction.logs ? fractionFromLogs(prediction.logs) : null, prediction.status)
      await call.sleep(call.pollIntervalMs)
      prediction = await requestJson<Prediction>(call, getUrl, { headers: headersFor(getUrl) }, replicateErrorMessage)
    }
    return settled(prediction, call)
  })
}

/** Official models are addressed by name; community models by version. */
function createRequest(model: string, input: Record<string, unknown>, baseURL: string) {
  const colon = model.indexOf(':')
  if (colon === -1) return { url: `${baseURL}/models/${model}/predictions`, body: { input } }
  return { url: `${baseURL}/predictions`, body: { version: model.slice(colon + 1), input } }
}

function settled(prediction: Prediction, call: ProviderCall): Prediction {
  if (prediction.status === 'failed') {
    throw new ProviderJobError(`Replicate prediction failed: ${String(prediction.error ?? 'no reason given')}`)
  }
  if (prediction.status === 'canceled') throw new ProviderJobError('canceled on Replicate')
  if (prediction.status !== 'succeeded') {
    throw new ProviderJobError(`Replicate prediction ended with unknown status ${String(prediction.status)}`)
  }
  call.log.debug('replicate prediction succeeded', { id: prediction.id, predictTime: prediction.metrics?.predict_time })
  return prediction
}

/** Replicate answers errors as problem details: `{title, detail, status}`. */
export function replicateErrorMessage(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null) {
    const { detail, title } = body as { detail?: unknown; title?: unknown }
    if (typeof detail === 'string' && detail.trim()) return detail.trim()
    if (typeof title === 'string' && title) return title
  }
  return defaultErrorMessage(body)
}
