import { type Logger, silentLogger } from '@patchbay/runtime'
import { redisPrefixForTest, redisSuiteEnabled, redisUrlForTests } from '@patchbay/runtime/testing'
import { afterEach, describe, expect, it } from 'vitest'
import type { Actor } from '../api/env.ts'
import { ApiError } from '../api/errors.ts'
import { RateLimits, rateKeyOf } from './rate-limits.ts'

const perMinute = {
  runs: 3,
  runsPerOrg: 0,
  uploads: 0,
  signIn: 10,
  signInPerAddress: 0,
  signInPerAccount: 0,
  signUp: 0,
  signUpPerHour: 2,
  credentials: 0,
}
const opened: RateLimits[] = []

afterEach(async () => {
  await Promise.all(opened.splice(0).map((limits) => limits.close()))
})

function open(shared?: ConstructorParameters<typeof RateLimits>[1]): RateLimits {
  const limits = new RateLimits(perMinute, shared)
  opened.push(limits)
  return limits
}

async function refusal(attempt: Promise<void>): Promise<ApiError> {
  const error = await attempt.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(ApiError)
  return error as ApiError
}

describe('rate limits in one process', () => {
  it('refuses the request over budget with 429 and Retry-After; other callers and buckets are unaffected', async () => {
    const limits = open()
    for (let index = 0; index < 3; index++) await limits.consume('runs', 'user:a')
    const refused = await refusal(limits.consume('runs', 'user:a'))
    expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED', details: { bucket: 'runs' } })
    expect(Number(refused.headers?.['retry-after'])).toBeGreaterThanOrEqual(1)
    await limits.consume('runs', 'user:b')
    // 0 per minute disables a bucket.
    for (let index = 0; index < 10; index++) await limits.consume('uploads', 'user:a')
  })

  it('gives the hourly sign-up bucket an hour-long window', async () => {
    const limits = open()
    await limits.consume('signUpPerHour', '203.0.113.7')
    await limits.consume('signUpPerHour', '203.0.113.7')
    const refused = await refusal(limits.consume('signUpPerHour', '203.0.113.7'))
    expect(Number(refused.headers?.['retry-after'])).toBeGreaterThan(3000)
  })

  it('charges an API key to the person who created it, so minting keys does not multiply a budget', () => {
    const viaKey = (apiKeyId: string, createdBy: string | null): Actor => ({
      identity: { kind: 'apiKey', apiKeyId, orgId: 'org', role: 'editor', createdBy },
      userId: null,
      orgId: 'org',
      role: 'editor',
    })
    const session: Actor = {
      identity: { kind: 'user', userId: 'ada', name: 'Ada', email: 'ada@example.com' },
      userId: 'ada',
      orgId: 'org',
      role: 'editor',
    }
    expect(rateKeyOf(viaKey('k1', 'ada'))).toBe(rateKeyOf(session))
    expect(rateKeyOf(viaKey('k2', 'ada'))).toBe(rateKeyOf(session))
    expect(rateKeyOf(viaKey('k3', null))).toBe('key:k3')
  })
})

const withRedis = await redisSuiteEnabled('rate limits shared through Redis')

describe.skipIf(!withRedis)('rate limits shared through Redis', () => {
  const redis = redisPrefixForTest()
  afterEach(async () => {
    await redis.drop()
  })

  it('makes every API instance spend from the same budget', async () => {
    const shared = { redisUrl: redisUrlForTests(), prefix: redis.prefix, logger: silentLogger }
    const first = open(shared)
    const second = open(shared)
    await waitForReady()
    await first.consume('runs', 'user:a')
    await second.consume('runs', 'user:a')
    await first.consume('runs', 'user:a')
    expect((await refusal(second.consume('runs', 'user:a'))).status).toBe(429)
    expect((await refusal(first.consume('runs', 'user:a'))).status).toBe(429)
    await second.consume('runs', 'user:b')
  })

  it('keeps counting per instance, and says so, while Redis is unreachable', async () => {
    const warnings: string[] = []
    const logger: Logger = { ...silentLogger, warn: (message) => warnings.push(message) }
    const limits = open({ redisUrl: 'redis://127.0.0.1:1', prefix: redis.prefix, logger })
    for (let index = 0; index < 3; index++) await limits.consume('runs', 'user:a')
    expect((await refusal(limits.consume('runs', 'user:a'))).status).toBe(429)
    await until(() => warnings.length > 0)
    expect(warnings[0]).toMatch(/rate limits count per instance/)
  })
})

/** A fresh client connects asynchronously; until it is ready its instance counts locally. */
async function waitForReady(): Promise<void> {
  await until(() => opened.every((limits) => limits.sharing))
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 10 s')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
