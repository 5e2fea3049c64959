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
 * Requests that start work (POST) are never repeated here: the engine retries the attempt.
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
          if (last || ctx.signal.aborted) throw error
        }
        ctx.log.debug('provider request failed; trying again', { url: String(input), attempt })
        await sleep(250 * 2 ** (attempt - 1))
      }
    },
  }
  return call
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
