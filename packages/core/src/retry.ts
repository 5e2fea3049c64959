import { CanceledError, NodeError, PatchbayError, TimeoutError, ValidationError } from './errors.ts'

export interface RetryPolicy {
  /** Total attempts including the first; 1 disables retries. */
  maxAttempts: number
  initialDelayMs: number
  maxDelayMs: number
  multiplier: number
  /** Fraction of the delay randomized either way (0.2 → ±20%). */
  jitter: number
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 3,
  initialDelayMs: 1000,
  maxDelayMs: 60_000,
  multiplier: 2,
  jitter: 0.2,
}

/** A `Retry-After` longer than this is treated as "do not retry now". */
export const MAX_RETRY_AFTER_MS = 10 * 60_000

/** Whether a failure is worth another attempt. Cancellations and user mistakes are not. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof CanceledError || error instanceof ValidationError) return false
  if (error instanceof NodeError) return error.retryable
  if (error instanceof TimeoutError) return true
  if (error instanceof PatchbayError) return false
  return true
}

/**
 * Delay before attempt `failedAttempt + 1`: exponential with jitter, or the error's own
 * `retryAfterMs` hint when it gives one (e.g. an HTTP 429 with Retry-After).
 */
export function retryDelayMs(
  policy: RetryPolicy,
  failedAttempt: number,
  error: unknown,
  random: () => number = Math.random,
): number {
  if (error instanceof NodeError && error.retryAfterMs !== undefined) {
    return Math.min(Math.max(0, error.retryAfterMs), MAX_RETRY_AFTER_MS)
  }
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (failedAttempt - 1))
  const spread = base * policy.jitter * (random() * 2 - 1)
  return Math.max(0, Math.round(base + spread))
}

/** Decides what follows a failed attempt. */
export function nextAttempt(
  policy: RetryPolicy,
  failedAttempt: number,
  error: unknown,
  random?: () => number,
): { retry: true; delayMs: number } | { retry: false } {
  if (failedAttempt >= policy.maxAttempts || !isRetryable(error)) return { retry: false }
  if (error instanceof NodeError && error.retryAfterMs !== undefined && error.retryAfterMs > MAX_RETRY_AFTER_MS) {
    return { retry: false }
  }
  return { retry: true, delayMs: retryDelayMs(policy, failedAttempt, error, random) }
}
