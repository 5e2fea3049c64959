import type { NodeContext } from '@patchbay/core'
import type { ProviderCall } from './adapter.ts'

export interface CallSettings {
  apiKey: string | undefined
  baseURL: string
  /** Limit for one HTTP request, body included. */
  requestTimeoutMs: number
  pollIntervalMs: number
  fetch: typeof fetch
}

/** Tries of an idempotent request (status polls, downloads) before its failure ends the call. */
const idempotentTries = 3

/**
 * Builds the {@link ProviderCall} an adapter works with. Its `fetch` is bound to the node's
 * signal and a per-request time limit; GET requests that fail transiently are tried again at
 * once, because losing a ten-minute video job to one failed status poll would waste the job.
 * Requests that start work (POST) are repeated here only when the connection was closed
 * under them before any answer (a pooled keep-alive socket the server had already dropped):
 * the provider never saw those, and failing fifty parallel calls for it would trip the
 * circuit breaker. Everything else is the engine's to retry.
 */
export function createProviderCall(ctx: NodeContext, settings: CallSettings): ProviderCall {
  const sleep = (ms: number) => sleepUnlessAborted(ms, ctx.signal)
  const call: ProviderCall = {
    apiKey: settings.apiKey,
    baseURL: settings.baseURL.replace(/\/+$/, ''),
    signal: ctx.signal,
    progress: (fraction, message) => ctx.progress(fraction, message),
    log: ctx.log,
    readAsset: (ref) => ctx.assets.read(ref),
    pollIntervalMs: settings.pollIntervalMs,
    sleep,
    async fetch(input, init) {
      const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase()
      const idempotent = method === 'GET' || method === 'HEAD'
      for (let attempt = 1; ; attempt++) {
        const signals = [ctx.signal, AbortSignal.timeout(settings.requestTimeoutMs)]
        if (init?.signal) signals.push(init.signal)
        const last = !idempotent || attempt >= idempotentTries
        try {
          const response = await settings.fetch(input, { ...init, signal: AbortSignal.any(signals) })
          if (last || !(response.status >= 500 || response.status === 429)) return response
          await response.body?.cancel()
        } catch (error) {
          const resend = !idempotent && attempt === 1 && isDroppedConnection(error) && !hasStreamBody(init)
          if ((last && !resend) || ctx.signal.aborted) throw error
          if (resend) continue
        }
        ctx.log.debug('provider request failed; trying again', { url: String(input), attempt })
        await sleep(250 * 2 ** (attempt - 1))
      }
    },
  }
  return call
}

/** The socket was closed before any response arrived (a stale pooled connection), not refused or timed out. */
function isDroppedConnection(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause
  return error instanceof TypeError && ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE'].includes(String(cause?.code))
}

/** A streamed request body is consumed by the first try and cannot be sent again. */
function hasStreamBody(init: RequestInit | undefined): boolean {
  return init?.body instanceof ReadableStream
}

function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
