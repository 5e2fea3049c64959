import { randomUUID } from 'node:crypto'
import { skipSuite } from '@patchbay/core/testing'
import { Redis } from 'ioredis'

const defaultUrl = 'redis://127.0.0.1:6379'

/** The Redis tests use: `PATCHBAY_TEST_REDIS_URL`, or the project machines' local server. */
export function redisUrlForTests(): string {
  return process.env.PATCHBAY_TEST_REDIS_URL || defaultUrl
}

let probe: Promise<string | undefined> | undefined

/**
 * Decides whether a suite that needs Redis runs: skipped with a message saying why when Redis
 * is unreachable, or, with `PATCHBAY_TEST_REQUIRE_ALL=1` (CI), a failure.
 */
export async function redisSuiteEnabled(suite: string): Promise<boolean> {
  probe ??= (async () => {
    const client = new Redis(redisUrlForTests(), { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0 })
    client.on('error', () => {})
    try {
      await client.connect()
      await client.ping()
      return undefined
    } catch (error) {
      return error instanceof Error ? error.message || error.name : String(error)
    } finally {
      client.disconnect()
    }
  })()
  const reason = await probe
  if (reason === undefined) return true
  return skipSuite(
    suite,
    `Redis at ${redisUrlForTests()} is unreachable (${reason})`,
    'Start Redis or point PATCHBAY_TEST_REDIS_URL at one',
  )
}

/** A key prefix of its own for one test, and a way to delete everything under it afterwards. */
export function redisPrefixForTest(): { prefix: string; drop(): Promise<void> } {
  const prefix = `pbtest-${randomUUID().slice(0, 8)}`
  return {
    prefix,
    async drop() {
      const client = new Redis(redisUrlForTests(), { maxRetriesPerRequest: 1 })
      client.on('error', () => {})
      try {
        let cursor = '0'
        do {
          const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
          cursor = next
          if (keys.length > 0) await client.del(...keys)
        } while (cursor !== '0')
      } finally {
        client.disconnect()
      }
    },
  }
}
