import { APICallError } from '@ai-sdk/provider'
import { CanceledError, NodeError, PatchbayError, TimeoutError } from '@patchbay/core'
import { isBrokenCircuitError } from 'cockatiel'
import { ProviderHttpError, ProviderJobError } from './http.ts'

/** Longest `Retry-After` we honour; a provider asking for more is treated as unavailable for that long anyway. */
const maxRetryAfterMs = 10 * 60_000

export interface ErrorScope {
  providerTitle: string
  /** Named in the message when the provider rejects the credential. */
  credentialEnv?: string
  baseURL: string
  /** Cancellation or the node's time limit: its reason wins over whatever the call threw. */
  signal: AbortSignal
  halfOpenAfterMs: number
}

/**
 * Turns whatever a provider call threw into the node error the engine acts on: rate limits,
 * outages, time-outs and unreachable hosts are retryable (with the provider's `Retry-After`);
 * rejected requests and credentials are not, and carry the provider's own message.
 */
export function toNodeError(error: unknown, scope: ErrorScope): Error {
  if (scope.signal.aborted) {
    const reason: unknown = scope.signal.reason
    return reason instanceof Error ? reason : new CanceledError()
  }
  if (error instanceof PatchbayError || error instanceof CanceledError || error instanceof TimeoutError) return error
  const name = scope.providerTitle
  if (isBrokenCircuitError(error)) {
    return new NodeError(
      'PROVIDER_UNAVAILABLE',
      `${name} failed repeatedly; calls to it are paused for ${Math.round(scope.halfOpenAfterMs / 1000)} s`,
      { retryable: true, retryAfterMs: scope.halfOpenAfterMs },
    )
  }
  if (error instanceof ProviderJobError) {
    return new NodeError('GENERATION_FAILED', `${name}: ${error.message}`, { retryable: false })
  }
  const http = httpFailure(error)
  if (http) return fromStatus(http.status, http.message, http.retryAfterMs, scope)
  if (isTimeout(error)) {
    return new NodeError('PROVIDER_TIMEOUT', `${name} did not answer in time`, { retryable: true })
  }
  if (isNetworkError(error)) {
    return new NodeError('PROVIDER_UNREACHABLE', `could not reach ${name} at ${scope.baseURL}: ${causeOf(error)}`, {
      retryable: true,
    })
  }
  const message = error instanceof Error ? error.message : String(error)
  return new NodeError('GENERATION_FAILED', `${name}: ${message}`, { retryable: false })
}

/** Whether the error says the provider is down (what trips the circuit breaker), as opposed to refusing us. */
export function isOutage(error: unknown): boolean {
  const http = httpFailure(error)
  if (http) return http.status >= 500 || http.status === 408
  return isTimeout(error) || isNetworkError(error)
}

function fromStatus(status: number, message: string, retryAfterMs: number | undefined, scope: ErrorScope): NodeError {
  const name = scope.providerTitle
  const details = { status }
  if (status === 401 || status === 403) {
    const hint = scope.credentialEnv ? ` Check ${scope.credentialEnv}.` : ''
    return new NodeError('PROVIDER_AUTH', `${name} refused the credential (${status}): ${sentence(message)}${hint}`, {
      retryable: false,
      details,
    })
  }
  if (status === 429) {
    return new NodeError('PROVIDER_RATE_LIMITED', `${name} is rate limiting requests: ${message}`, {
      retryable: true,
      details,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    })
  }
  if (status >= 500 || status === 408) {
    return new NodeError('PROVIDER_UNAVAILABLE', `${name} failed (${status}): ${message}`, {
      retryable: true,
      details,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    })
  }
  return new NodeError('PROVIDER_REJECTED', `${name} rejected the request (${status}): ${message}`, {
    retryable: false,
    details,
  })
}

/** Ends the text with one full stop. */
function sentence(text: string): string {
  return /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`
}

function httpFailure(error: unknown): { status: number; message: string; retryAfterMs?: number } | undefined {
  if (error instanceof ProviderHttpError) {
    return { status: error.status, message: error.message, ...retryAfter((name) => error.headers.get(name)) }
  }
  if (APICallError.isInstance(error) && error.statusCode !== undefined) {
    const headers = lowerCaseKeys(error.responseHeaders ?? {})
    return { status: error.statusCode, message: error.message, ...retryAfter((name) => headers[name]) }
  }
  return undefined
}

function retryAfter(header: (name: string) => string | null | undefined): { retryAfterMs?: number } {
  const ms = Number(header('retry-after-ms'))
  if (header('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return { retryAfterMs: Math.min(ms, maxRetryAfterMs) }
  const value = header('retry-after')
  if (!value) return {}
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return { retryAfterMs: Math.min(seconds * 1000, maxRetryAfterMs) }
  const date = Date.parse(value)
  if (Number.isNaN(date)) return {}
  return { retryAfterMs: Math.min(Math.max(0, date - Date.now()), maxRetryAfterMs) }
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]))
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || causeName(error) === 'TimeoutError')
}

function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  if (APICallError.isInstance(error)) return error.statusCode === undefined
  return (
    error.name === 'AbortError' || (error instanceof TypeError && /fetch failed|network|socket/i.test(error.message))
  )
}

function causeName(error: Error): string | undefined {
  const cause = (error as { cause?: unknown }).cause
  return cause instanceof Error ? cause.name : undefined
}

function causeOf(error: unknown): string {
  let current: unknown = error
  while (current instanceof Error && (current as { cause?: unknown }).cause instanceof Error) {
    current = (current as { cause: Error }).cause
  }
  const code = (current as { code?: unknown } | undefined)?.code
  const message = current instanceof Error ? current.message : String(current)
  return typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message
}
