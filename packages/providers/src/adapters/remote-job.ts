import type { AssetRef } from '@patchbay/core'
import type { ProviderCall } from '../adapter.ts'

/** Inlines an input asset; fal and Replicate both take data URIs wherever they take file URLs. */
export async function dataUriOf(call: ProviderCall, ref: AssetRef): Promise<string> {
  const bytes = await call.readAsset(ref)
  return `data:${ref.mime};base64,${Buffer.from(bytes).toString('base64')}`
}

/** Job URLs come from the provider's responses, so credentials go only where the base URL points. */
export function isSameOrigin(url: string, baseURL: string): boolean {
  try {
    return new URL(url).origin === new URL(baseURL).origin
  } catch {
    return false
  }
}

export interface CancelRequest {
  url: string
  method: 'PUT' | 'POST'
  headers: Record<string, string>
}

const cancelTimeoutMs = 5000

/**
 * Runs the waiting part of a remote job. When the call is aborted meanwhile, asks the
 * provider to cancel the job (so it stops running and billing), then rethrows the abort reason.
 */
export async function cancelRemoteJobOnAbort<T>(call: ProviderCall, cancel: CancelRequest, wait: () => Promise<T>) {
  try {
    return await wait()
  } catch (error) {
    if (!call.signal.aborted) throw error
    await requestCancel(call, cancel)
    throw call.signal.reason
  }
}

async function requestCancel(call: ProviderCall, cancel: CancelRequest): Promise<void> {
  try {
    // call.fetch is bound to the aborted signal, so the cancel needs a signal of its own.
    const response = await fetch(cancel.url, {
      method: cancel.method,
      headers: cancel.headers,
      signal: AbortSignal.timeout(cancelTimeoutMs),
    })
    await response.body?.cancel()
    if (!response.ok)
      call.log.warn('the provider refused to cancel the job', { url: cancel.url, status: response.status })
  } catch (error) {
    call.log.warn('could not cancel the job', { url: cancel.url, error: String(error) })
  }
}

const percentPattern = /(\d{1,3}(?:\.\d+)?)\s*%/g
const stepPattern = /\bstep\s*(\d+)\s*(?:\/|of)\s*(\d+)/gi

/**
 * The progress stated by the last log line that states one: a percentage (tqdm's
 * ` 45%|████ | 9/20`) or `step 3/8`. Null when no line does.
 */
export function fractionFromLogs(logs: string): number | null {
  const lines = logs.split(/[\r\n]+/)
  for (let index = lines.length - 1; index >= 0; index--) {
    const fraction = fractionFromLine(lines[index] ?? '')
    if (fraction !== null) return fraction
  }
  return null
}

function fractionFromLine(line: string): number | null {
  const percent = [...line.matchAll(percentPattern)].at(-1)
  if (percent) return clampFraction(Number(percent[1]) / 100)
  const step = [...line.matchAll(stepPattern)].at(-1)
  if (step && Number(step[2]) > 0) return clampFraction(Number(step[1]) / Number(step[2]))
  return null
}

function clampFraction(value: number): number {
  return Math.min(1, Math.max(0, value))
}
