import type { Logger } from '@patchbay/runtime'
import { Redis } from 'ioredis'
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible'
import type { Actor } from '../api/env.ts'
import { ApiError } from '../api/errors.ts'
import type { ServerConfig } from '../config.ts'

export type RateBucket = keyof ServerConfig['rateLimits']

/** Seconds a bucket's budget lasts; a minute unless listed. */
const windowSeconds: Partial<Record<RateBucket, number>> = { signUpPerHour: 3600 }

/** Where API instances of one installation share their counts (the scaled deployment's Redis). */
export interface SharedRateCounts {
  redisUrl: string
  /** The installation's Redis key prefix. */
  prefix: string
  logger: Logger
}

/**
 * Per-caller limits on the costly endpoints: a caller over its budget gets 429 with Retry-After.
 * With {@link SharedRateCounts} every API instance spends from the same budget in Redis; while
 * Redis is unreachable each instance counts on its own, so limits loosen but never block.
 */
export class RateLimits {
  private readonly limiters: Partial<Record<RateBucket, RateLimiterAbstract>> = {}
  private readonly redis: Redis | undefined

  constructor(budgets: ServerConfig['rateLimits'], shared?: SharedRateCounts) {
    this.redis = shared && connect(shared)
    for (const bucket of Object.keys(budgets) as RateBucket[]) {
      const points = budgets[bucket]
      if (points <= 0) continue
      const duration = windowSeconds[bucket] ?? 60
      const local = new RateLimiterMemory({ keyPrefix: bucket, points, duration })
      this.limiters[bucket] =
        shared && this.redis
          ? new RateLimiterRedis({
              storeClient: this.redis,
              keyPrefix: `${shared.prefix}:rate:${bucket}`,
              points,
              duration,
              rejectIfRedisNotReady: true,
              insuranceLimiter: local,
            })
          : local
    }
  }

  /** Whether counts are shared with the other instances right now (Redis is connected). */
  get sharing(): boolean {
    return this.redis?.status === 'ready'
  }

  async close(): Promise<void> {
    this.redis?.disconnect()
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

function connect(shared: SharedRateCounts): Redis {
  // No offline queue: while Redis is away a request is counted locally at once instead of waiting.
  const redis = new Redis(shared.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
  let reachable = true
  redis.on('ready', () => {
    if (!reachable) shared.logger.info('rate limits are shared through Redis again')
    reachable = true
  })
  redis.on('error', (error: Error) => {
    if (reachable)
      shared.logger.warn('Redis unreachable; rate limits count per instance meanwhile', { error: error.message })
    reachable = false
  })
  return redis
}

/**
 * Whose budget a request spends: the user's (their session and every key they created share
 * it, so minting keys does not multiply it), an operator's key's, or the single local user's.
 */
export function rateKeyOf(actor: Actor): string {
  switch (actor.identity.kind) {
    case 'user':
      return `user:${actor.identity.userId}`
    case 'apiKey':
      return actor.identity.createdBy ? `user:${actor.identity.createdBy}` : `key:${actor.identity.apiKeyId}`
    case 'local':
      return 'local'
  }
}
