import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestDatabase } from '@patchbay/db/testing'
import { redisPrefixForTest, redisUrlForTests } from '@patchbay/runtime/testing'

export interface ScaledDeployment {
  /** The environment every process of the deployment shares: its database, Redis prefix, data and keys. */
  env: NodeJS.ProcessEnv
  /** The deployment's data directory (also free for the test's own files). */
  dir: string
  /** Drops the database, the Redis keys and the data directory. */
  drop(): Promise<void>
}

/**
 * A scaled deployment's shared ground for a test or benchmark: a database of its own on the
 * local PostgreSQL, a Redis key prefix of its own, a fresh data directory and keys. Processes
 * started with `env` (`patchbay start --no-worker`, `patchbay worker`, `openRuntime`) form one
 * installation; `extra` adds or overrides variables.
 */
export async function openScaledDeployment(name: string, extra: NodeJS.ProcessEnv = {}): Promise<ScaledDeployment> {
  const database = await createTestDatabase()
  const redis = redisPrefixForTest()
  const dir = await mkdtemp(join(tmpdir(), `patchbay-${name}-`))
  return {
    env: {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrlForTests(),
      PATCHBAY_REDIS_PREFIX: redis.prefix,
      PATCHBAY_DATA_DIR: dir,
      PATCHBAY_MASTER_KEY: randomBytes(32).toString('base64'),
      PATCHBAY_WORKER_PORT: '0',
      ...extra,
    },
    dir,
    async drop() {
      await redis.drop()
      await database.drop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
