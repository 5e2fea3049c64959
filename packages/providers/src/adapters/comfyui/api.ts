import type { AssetRef } from '@patchbay/core'
import type { ProviderCall } from '../../adapter.ts'
import { defaultErrorMessage, ProviderHttpError, ProviderJobError, requestJson } from '../../http.ts'
import type { ComfyGraph } from './graph.ts'

/** One finished prompt under `GET /history/{id}`. */
export interface HistoryEntry {
  outputs?: Record<string, { images?: OutputImage[] }>
  status?: { status_str?: string; completed?: boolean; messages?: Array<[string, Record<string, unknown>]> }
}

export interface OutputImage {
  filename: string
  subfolder: string
  type: string
}

/** `GET /queue`: entries are `[number, prompt_id, graph, extra, outputs]`. */
export interface QueueState {
  queue_running: Array<[number, string, ...unknown[]]>
  queue_pending: Array<[number, string, ...unknown[]]>
}

interface NodeError {
  class_type?: string
  errors?: Array<{ message?: string; details?: string }>
}

/** Queues the graph; validation failures come back as 400 naming the first bad node. */
export async function submitPrompt(call: ProviderCall, graph: ComfyGraph): Promise<string> {
  const answer = await requestJson<{ prompt_id?: string }>(
    call,
    `${call.baseURL}/prompt`,
    { body: { prompt: graph, client_id: crypto.randomUUID() } },
    promptErrorMessage,
  )
  if (!answer?.prompt_id) throw new ProviderJobError('ComfyUI accepted the prompt without a prompt_id')
  return answer.prompt_id
}

function promptErrorMessage(body: unknown): string | undefined {
  const { error, node_errors } = (body ?? {}) as {
    error?: { message?: string; details?: string }
    node_errors?: unknown
  }
  const message = error?.message ?? defaultErrorMessage(body)
  if (!message) return undefined
  // node_errors is an object keyed by node id, or an empty list when no node is at fault.
  const [nodeId, nodeError] = Object.entries((node_errors ?? {}) as Record<string, NodeError>)[0] ?? []
  const first = nodeError?.errors?.[0]
  if (!first) return error?.details ? `${message}: ${error.details}` : message
  const detail = [first.message, first.details].filter(Boolean).join(': ')
  return `${message}: ${nodeError.class_type ?? 'node'} (node ${nodeId}): ${detail}`
}

export async function fetchHistory(call: ProviderCall, promptId: string): Promise<HistoryEntry | undefined> {
  const history = await requestJson<Record<string, HistoryEntry> | undefined>(
    call,
    `${call.baseURL}/history/${promptId}`,
  )
  return history?.[promptId]
}

export function fetchQueue(call: Pick<ProviderCall, 'fetch' | 'baseURL'>): Promise<QueueState> {
  return requestJson<QueueState>(call, `${call.baseURL}/queue`)
}

/**
 * Uploads an input image and returns the name LoadImage takes. Named by content hash, so
 * overwriting replaces a file with the same bytes and reruns do not pile up copies.
 */
export async function uploadImage(call: ProviderCall, ref: AssetRef): Promise<string> {
  const extension = ref.mime.split('/')[1]?.replace('jpeg', 'jpg') ?? 'png'
  const form = new FormData()
  const bytes = await call.readAsset(ref)
  form.append(
    'image',
    new Blob([new Uint8Array(bytes)], { type: ref.mime }),
    `patchbay-${ref.sha256.slice(0, 16)}.${extension}`,
  )
  form.append('overwrite', 'true')
  const response = await call.fetch(`${call.baseURL}/upload/image`, { method: 'POST', body: form })
  const text = await response.text()
  if (!response.ok)
    throw new ProviderHttpError(response.status, text.slice(0, 500) || response.statusText, response.headers)
  const uploaded = JSON.parse(text) as { name: string; subfolder?: string }
  return uploaded.subfolder ? `${uploaded.subfolder}/${uploaded.name}` : uploaded.name
}
