import type { ProviderCall } from '../../adapter.ts'
import { defaultErrorMessage, ProviderJobError, requestJson } from '../../http.ts'
import { cancelRemoteJobOnAbort, fractionFromLogs, isSameOrigin } from '../remote-job.ts'

/** What `POST {queue}/{endpoint}` answers. */
interface FalQueueEntry {
  request_id?: string
  response_url?: string
  status_url?: string
  cancel_url?: string
}

interface FalQueueStatus {
  status?: 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED'
  queue_position?: number
  logs?: Array<{ message?: string }> | null
  error?: string | null
}

/**
 * Runs one request through fal's queue: submit, poll the status (reporting queue position and
 * progress from the logs), then fetch the result. Aborting cancels the request on fal.
 */
export async function runFalRequest(endpoint: string, input: Record<string, unknown>, call: ProviderCall) {
  const credentials: Record<string, string> = call.apiKey ? { authorization: `Key ${call.apiKey}` } : {}
  const headersFor = (url: string) => (isSameOrigin(url, call.baseURL) ? credentials : {})

  const entry = await requestJson<FalQueueEntry>(
    call,
    `${call.baseURL}/${endpoint}`,
    { headers: credentials, body: input },
    falErrorMessage,
  )
  const urls = requestUrls(entry)
  const cancel = { url: urls.cancel, method: 'PUT' as const, headers: headersFor(urls.cancel) }
  return cancelRemoteJobOnAbort(call, cancel, async () => {
    await waitUntilCompleted(urls.status, headersFor(urls.status), call)
    return requestJson<unknown>(call, urls.response, { headers: headersFor(urls.response) }, falErrorMessage)
  })
}

function requestUrls(entry: FalQueueEntry) {
  const response = entry.response_url
  if (!response) throw new ProviderJobError('fal accepted the request but returned no response URL')
  return {
    response,
    status: entry.status_url ?? `${response}/status`,
    cancel: entry.cancel_url ?? `${response}/cancel`,
  }
}

async function waitUntilCompleted(statusUrl: string, headers: Record<string, string>, call: ProviderCall) {
  const url = new URL(statusUrl)
  url.searchParams.set('logs', '1')
  for (;;) {
    const status = await requestJson<FalQueueStatus>(call, url.href, { headers }, falErrorMessage)
    if (status.status === 'COMPLETED') {
      if (status.error) throw new ProviderJobError(`fal request failed: ${status.error}`)
      return
    }
    reportProgress(status, call)
    await call.sleep(call.pollIntervalMs)
  }
}

function reportProgress(status: FalQueueStatus, call: ProviderCall): void {
  if (status.status === 'IN_QUEUE') {
    const position = status.queue_position
    call.progress(null, position === undefined ? 'queued' : `queued (position ${position})`)
    return
  }
  const logs = (status.logs ?? []).map((line) => line.message ?? '').join('\n')
  call.progress(fractionFromLogs(logs), 'generating')
}

/** fal reports rejected input FastAPI-style: `{detail: [{loc: ['body', 'prompt'], msg}]}`. */
export function falErrorMessage(body: unknown): string | undefined {
  const detail = typeof body === 'object' && body !== null ? (body as { detail?: unknown }).detail : undefined
  if (Array.isArray(detail)) {
    const issues = detail.map(describeValidationIssue).filter((issue) => issue !== undefined)
    if (issues.length > 0) return issues.join('; ')
  }
  return defaultErrorMessage(body)
}

function describeValidationIssue(issue: unknown): string | undefined {
  if (typeof issue !== 'object' || issue === null) return undefined
  const { loc, msg } = issue as { loc?: unknown; msg?: unknown }
  if (typeof msg !== 'string') return undefined
  const field = Array.isArray(loc) ? loc.filter((part) => part !== 'body').join('.') : ''
  return field ? `${field}: ${msg}` : msg
}
