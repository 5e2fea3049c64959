import { APICallError } from '@ai-sdk/provider'
import { CanceledError, NodeError } from '@patchbay/core'
import { BrokenCircuitError } from 'cockatiel'
import { describe, expect, it } from 'vitest'
import { isOutage, toNodeError } from './errors.ts'
import { ProviderHttpError, ProviderJobError } from './http.ts'

const scope = (signal = new AbortController().signal) => ({
  providerTitle: 'OpenAI',
  credentialEnv: 'OPENAI_API_KEY',
  baseURL: 'http://127.0.0.1:9/v1',
  signal,
  halfOpenAfterMs: 30_000,
})

function apiError(statusCode: number, headers: Record<string, string> = {}) {
  return new APICallError({
    message: `provider says ${statusCode}`,
    url: 'http://x',
    requestBodyValues: {},
    statusCode,
    responseHeaders: headers,
  })
}

function asNodeError(error: unknown): NodeError {
  const mapped = toNodeError(error, scope())
  expect(mapped).toBeInstanceOf(NodeError)
  return mapped as NodeError
}

describe('toNodeError', () => {
  it('makes a 429 retryable after the Retry-After seconds', () => {
    const error = asNodeError(apiError(429, { 'Retry-After': '2' }))
    expect(error).toMatchObject({ code: 'PROVIDER_RATE_LIMITED', retryable: true, retryAfterMs: 2000 })
  })

  it('reads retry-after-ms and HTTP dates, and caps what it honours', () => {
    expect(asNodeError(apiError(429, { 'retry-after-ms': '150' })).retryAfterMs).toBe(150)
    const date = new Date(Date.now() + 5000).toUTCString()
    const fromDate = asNodeError(new ProviderHttpError(503, 'busy', new Headers({ 'retry-after': date })))
    expect(fromDate.retryAfterMs).toBeGreaterThan(3000)
    expect(fromDate.retryAfterMs).toBeLessThanOrEqual(5000)
    expect(asNodeError(apiError(429, { 'retry-after': '86400' })).retryAfterMs).toBe(600_000)
  })

  it('retries outages but not rejected requests, and keeps the provider message', () => {
    expect(asNodeError(apiError(500))).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true })
    expect(asNodeError(apiError(529))).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true })
    const rejected = asNodeError(new ProviderHttpError(422, 'prompt: field required'))
    expect(rejected).toMatchObject({ code: 'PROVIDER_REJECTED', retryable: false })
    expect(rejected.message).toContain('prompt: field required')
  })

  it('names the credential variable when the key is refused', () => {
    const error = asNodeError(apiError(401))
    expect(error).toMatchObject({ code: 'PROVIDER_AUTH', retryable: false })
    expect(error.message).toContain('OPENAI_API_KEY')
  })

  it('treats unreachable hosts and timeouts as transient', () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    })
    const unreachable = asNodeError(refused)
    expect(unreachable).toMatchObject({ code: 'PROVIDER_UNREACHABLE', retryable: true })
    expect(unreachable.message).toContain('ECONNREFUSED')
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError')
    expect(asNodeError(timeout)).toMatchObject({ code: 'PROVIDER_TIMEOUT', retryable: true })
  })

  it('reports a failed remote job and an open circuit', () => {
    expect(asNodeError(new ProviderJobError('NSFW content detected'))).toMatchObject({
      code: 'GENERATION_FAILED',
      retryable: false,
    })
    expect(asNodeError(new BrokenCircuitError())).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      retryable: true,
      retryAfterMs: 30_000,
    })
  })

  it('lets cancellation win over whatever the call threw', () => {
    const controller = new AbortController()
    controller.abort(new CanceledError('run canceled'))
    expect(toNodeError(apiError(500), scope(controller.signal))).toBeInstanceOf(CanceledError)
  })
})

describe('isOutage', () => {
  it('counts server errors, timeouts and network failures, not refusals or rate limits', () => {
    expect(isOutage(apiError(503))).toBe(true)
    expect(isOutage(new TypeError('fetch failed'))).toBe(true)
    expect(isOutage(apiError(429))).toBe(false)
    expect(isOutage(apiError(400))).toBe(false)
  })
})
