import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'
import type { Actor } from '../api/env.ts'
import { ApiError } from '../api/errors.ts'
import type { ServerConfig } from '../config.ts'

export type RateBucket = keyof ServerConfig['rateLimits']

/** Per-caller limits on the costly endpoints: a caller over its budget gets 429 with Retry-After. */
export class RateLimits {
  private readonly limiters: Partial<Record<RateBucket, RateLimiterMemory>> = {}

  constructor(perMinute: ServerConfig['rateLimits']) {
    for (const bucket of Object.keys(perMinute) as RateBucket[]) {
      const points = perMinute[bucket]
      if (points > 0) this.limiters[bucket] = new RateLimiterMemory({ keyPrefix: bucket, points, duration: 60 })
    }
  }

  /** Spends one request of `key`'s budget in `bucket`, or throws the 429. */
  async consume(bucket: RateBucket, key: string): Promise<void> {
    const limiter = this.limiters[bucket]
    if (!limiter) return
    try {
      await limiter.consume(key)
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))
      throw new ApiError(429, 'RATE_LIMITED', `too many requests; try again in ${seconds} s`, {
        details: { bucket, retryAfterSeconds: seconds },
        headers: { 'retry-after': String(seconds) },
      })
    }
  }
}

/** Whose budget a request spends: the user's, the API key's, or the single local user's. */
export function rateKeyOf(actor: Actor): string {
  switch (actor.identity.kind) {
    case 'user':
      return `user:${actor.identity.userId}`
    case 'apiKey':
      return `key:${actor.identity.apiKeyId}`
    case 'local':
      return 'local'
  }
}
