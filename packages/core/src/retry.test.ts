import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CanceledError, NodeError, NotFoundError, PatchbayError, TimeoutError, ValidationError } from './errors.ts'
import {
  defaultRetryPolicy,
  isRetryable,
  MAX_RETRY_AFTER_MS,
  nextAttempt,
  type RetryPolicy,
  retryDelayMs,
} from './retry.ts'

const noJitter: RetryPolicy = { maxAttempts: 5, initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2, jitter: 0 }
const transient = new Error('socket hang up')

describe('isRetryable', () => {
  it('retries transient failures', () => {
    expect(isRetryable(new Error('boom'))).toBe(true)
    expect(isRetryable('a thrown string')).toBe(true)
    expect(isRetryable(new TimeoutError(1000))).toBe(true)
  })

  it('follows the retryable flag of a NodeError, defaulting to false', () => {
    expect(isRetryable(new NodeError('RATE_LIMITED', 'slow down', { retryable: true }))).toBe(true)
    expect(isRetryable(new NodeError('BAD_FILE', 'not an image', { retryable: false }))).toBe(false)
    expect(isRetryable(new NodeError('BAD_FILE', 'not an image'))).toBe(false)
  })

  it('never retries cancellations, validation errors or other deliberate errors', () => {
    expect(isRetryable(new CanceledError())).toBe(false)
    expect(isRetryable(new ValidationError([]))).toBe(false)
    expect(isRetryable(new NotFoundError('asset', 'a1'))).toBe(false)
    expect(isRetryable(new PatchbayError('CONFIG', 'bad config'))).toBe(false)
  })
})

describe('retryDelayMs', () => {
  it('grows exponentially from initialDelayMs', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(noJitter, attempt, transient))).toEqual([100, 200, 400, 800])
    const triple = { ...noJitter, multiplier: 3, maxDelayMs: 1e9 }
    expect([1, 2, 3].map((attempt) => retryDelayMs(triple, attempt, transient))).toEqual([100, 300, 900])
  })

  it('caps the delay at maxDelayMs', () => {
    expect(retryDelayMs(noJitter, 5, transient)).toBe(1000)
    expect(retryDelayMs(noJitter, 20, transient)).toBe(1000)
  })

  it('spreads the delay by the jitter fraction either way', () => {
    const policy = { ...noJitter, jitter: 0.2 }
    expect(retryDelayMs(policy, 1, transient, () => 0)).toBe(80)
    expect(retryDelayMs(policy, 1, transient, () => 0.5)).toBe(100)
    expect(retryDelayMs(policy, 1, transient, () => 0.999_999)).toBe(120)
    expect(retryDelayMs(policy, 3, transient, () => 0)).toBe(320)
  })

  it('stays within ±jitter of the capped exponential delay (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          initialDelayMs: fc.integer({ min: 0, max: 10_000 }),
          maxDelayMs: fc.integer({ min: 0, max: 120_000 }),
          multiplier: fc.double({ min: 1, max: 4, noNaN: true }),
          jitter: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (settings, attempt, roll) => {
          const policy: RetryPolicy = { maxAttempts: 50, ...settings }
          const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (attempt - 1))
          const delay = retryDelayMs(policy, attempt, transient, () => roll)
          expect(Number.isInteger(delay)).toBe(true)
          expect(delay).toBeGreaterThanOrEqual(Math.max(0, Math.floor(base * (1 - policy.jitter))))
          expect(delay).toBeLessThanOrEqual(Math.ceil(base * (1 + policy.jitter)))
        },
      ),
    )
  })

  it('uses a NodeError retryAfterMs instead of the backoff', () => {
    const limited = new NodeError('RATE_LIMITED', '429', { retryable: true, retryAfterMs: 7_500 })
    expect(retryDelayMs(defaultRetryPolicy, 1, limited, () => 0)).toBe(7_500)
    expect(retryDelayMs(defaultRetryPolicy, 3, limited, () => 0.9)).toBe(7_500)
  })

  it('clamps retryAfterMs to [0, MAX_RETRY_AFTER_MS]', () => {
    const early = new NodeError('X', 'x', { retryable: true, retryAfterMs: -5 })
    const late = new NodeError('X', 'x', { retryable: true, retryAfterMs: MAX_RETRY_AFTER_MS * 2 })
    expect(retryDelayMs(defaultRetryPolicy, 1, early)).toBe(0)
    expect(retryDelayMs(defaultRetryPolicy, 1, late)).toBe(MAX_RETRY_AFTER_MS)
  })
})

describe('nextAttempt', () => {
  it('retries a retryable failure with the backoff delay until maxAttempts', () => {
    const policy = { ...noJitter, maxAttempts: 3 }
    expect(nextAttempt(policy, 1, transient)).toEqual({ retry: true, delayMs: 100 })
    expect(nextAttempt(policy, 2, transient)).toEqual({ retry: true, delayMs: 200 })
    expect(nextAttempt(policy, 3, transient)).toEqual({ retry: false })
    expect(nextAttempt(policy, 4, transient)).toEqual({ retry: false })
  })

  it('never retries when maxAttempts is 1', () => {
    expect(nextAttempt({ ...noJitter, maxAttempts: 1 }, 1, transient)).toEqual({ retry: false })
  })

  it('stops at once for a non-retryable error', () => {
    expect(nextAttempt(noJitter, 1, new NodeError('BAD_FILE', 'bad'))).toEqual({ retry: false })
    expect(nextAttempt(noJitter, 1, new CanceledError())).toEqual({ retry: false })
    const hinted = new NodeError('BAD', 'bad', { retryable: false, retryAfterMs: 10 })
    expect(nextAttempt(noJitter, 1, hinted)).toEqual({ retry: false })
  })

  it('waits for retryAfterMs when it is within MAX_RETRY_AFTER_MS', () => {
    const limited = new NodeError('RATE_LIMITED', '429', { retryable: true, retryAfterMs: MAX_RETRY_AFTER_MS })
    expect(nextAttempt(noJitter, 1, limited)).toEqual({ retry: true, delayMs: MAX_RETRY_AFTER_MS })
  })

  it('gives up when retryAfterMs is beyond MAX_RETRY_AFTER_MS', () => {
    const limited = new NodeError('RATE_LIMITED', '429', { retryable: true, retryAfterMs: MAX_RETRY_AFTER_MS + 1 })
    expect(nextAttempt(noJitter, 1, limited)).toEqual({ retry: false })
  })

  it('passes its random source on to the delay', () => {
    const policy = { ...noJitter, jitter: 0.5 }
    expect(nextAttempt(policy, 1, transient, () => 0)).toEqual({ retry: true, delayMs: 50 })
  })
})

describe('defaultRetryPolicy', () => {
  it('makes three attempts starting one second apart', () => {
    expect(defaultRetryPolicy).toMatchObject({ maxAttempts: 3, initialDelayMs: 1000, multiplier: 2 })
    expect(retryDelayMs(defaultRetryPolicy, 2, transient, () => 0.5)).toBe(2000)
  })
})
