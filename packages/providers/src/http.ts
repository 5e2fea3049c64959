import type { ProviderCall } from './adapter.ts'

/** A provider answered with an error status (thrown by adapters that speak HTTP directly). */
export class ProviderHttpError extends Error {
  readonly status: number
  readonly headers: Headers
  readonly body: unknown

  constructor(status: number, message: string, headers: Headers = new Headers(), body?: unknown) {
    super(message)
    this.name = 'ProviderHttpError'
    this.status = status
    this.headers = headers
    this.body = body
  }
}

/** A remote job ended without a result (failed, canceled by the provider, or malformed). */
export class ProviderJobError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ProviderJobError'
  }
}

/**
 * Sends one request with `call.fetch` and returns the parsed JSON body. An error status
 * becomes a {@link ProviderHttpError} whose message is the provider's own (`messageOf`
 * digs it out of the body; the default understands the common `{error:{message}}`,
 * `{error:"…"}`, `{detail:"…"}` and `{message:"…"}` shapes).
 */
export async function requestJson<T = unknown>(
  call: Pick<ProviderCall, 'fetch'>,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
  messageOf: (body: unknown) => string | undefined = defaultErrorMessage,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers }
  let body: string | undefined
  if (init.body !== undefined) {
    headers['content-type'] ??= 'application/json'
    body = JSON.stringify(init.body)
  }
  const response = await call.fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body })
  const text = await response.text()
  const parsed = parseJson(text)
  if (!response.ok) {
    const message = messageOf(parsed) ?? (text.slice(0, 500) || response.statusText)
    throw new ProviderHttpError(response.status, message, response.headers, parsed)
  }
  return parsed as T
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export function defaultErrorMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body || undefined
  if (typeof body !== 'object' || body === null) return undefined
  const record = body as Record<string, unknown>
  const error = record.error
  if (typeof error === 'string') return error
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string')
    return (error as { message: string }).message
  if (typeof record.detail === 'string') return record.detail
  if (Array.isArray(record.detail)) return JSON.stringify(record.detail)
  if (typeof record.message === 'string') return record.message
  return undefined
}
