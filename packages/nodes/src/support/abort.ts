import { CanceledError, PatchbayError } from '@patchbay/core'

/**
 * The error to raise once `signal` has aborted: the engine's own reason when it is a Patchbay
 * error (a `TimeoutError` must stay a timeout so it is retried), otherwise a `CanceledError`.
 */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  if (reason instanceof PatchbayError) return reason
  return new CanceledError(reason instanceof Error && reason.message ? reason.message : undefined)
}

/** Throws {@link abortError} when `signal` has already aborted. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError(signal)
}
