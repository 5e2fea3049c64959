import type { ProviderCall } from '../../adapter.ts'
import { ProviderJobError } from '../../http.ts'
import { fetchHistory, fetchQueue, type HistoryEntry, type QueueState } from './api.ts'

/**
 * Polls `/history/{id}` until the prompt has finished, reporting its place in the queue
 * meanwhile. On abort the prompt is taken off the server's queue (interrupted if running).
 */
export async function waitForResult(call: ProviderCall, promptId: string): Promise<HistoryEntry> {
  let reported: string | undefined
  try {
    for (;;) {
      const entry = await fetchHistory(call, promptId)
      if (entry) return checkSucceeded(entry)
      const message = queueMessage(await fetchQueue(call), promptId)
      if (message && message !== reported) call.progress(null, message)
      reported = message ?? reported
      await call.sleep(call.pollIntervalMs)
    }
  } catch (error) {
    if (call.signal.aborted) await cancelPrompt(call.baseURL, promptId)
    throw error
  }
}

function queueMessage(queue: QueueState, promptId: string): string | undefined {
  if (queue.queue_running.some((item) => item[1] === promptId)) return 'running'
  const pending = [...queue.queue_pending].sort((a, b) => a[0] - b[0])
  const index = pending.findIndex((item) => item[1] === promptId)
  return index < 0 ? undefined : `queued (position ${index + 1})`
}

function checkSucceeded(entry: HistoryEntry): HistoryEntry {
  if (entry.status?.status_str !== 'error') return entry
  const messages = entry.status.messages ?? []
  const failure = messages.find(([type]) => type === 'execution_error')?.[1]
  if (failure) {
    const where = failure.node_type ? `${failure.node_type} (node ${failure.node_id}): ` : ''
    throw new ProviderJobError(`ComfyUI failed: ${where}${failure.exception_message ?? 'unknown error'}`)
  }
  if (messages.some(([type]) => type === 'execution_interrupted'))
    throw new ProviderJobError('ComfyUI interrupted the prompt')
  throw new ProviderJobError('ComfyUI failed without saying why')
}

/**
 * Best effort, with the global fetch because `call.signal` has already aborted: deletes
 * the prompt from the queue and, when it is the one running, interrupts it.
 */
async function cancelPrompt(baseURL: string, promptId: string): Promise<void> {
  const timeoutFetch: typeof fetch = (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(5000) })
  const post = async (path: string, body: unknown) => {
    const response = await timeoutFetch(`${baseURL}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    await response.body?.cancel()
  }
  try {
    const queue = await fetchQueue({ fetch: timeoutFetch, baseURL })
    await post('/queue', { delete: [promptId] })
    // Newer servers interrupt only the prompt named here; older ones ignore the body.
    if (queue.queue_running.some((item) => item[1] === promptId)) await post('/interrupt', { prompt_id: promptId })
  } catch {
    // The server is unreachable or slow; the prompt may still run, but the call is over.
  }
}
