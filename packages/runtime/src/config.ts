import { resolve } from 'node:path'
import { PatchbayError } from '@patchbay/core'
import { z } from 'zod'
import { type AssetStorageConfig, assetConfigFromEnv } from './asset-config.ts'

/** Settings of a Patchbay process, read from the environment (documented in docs/configuration.md). */
export interface RuntimeConfig {
  dataDir: string
  /** `postgres://…` selects PostgreSQL; absent means embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined
  /** Most PostgreSQL connections this process opens (default 10). */
  dbPoolSize?: number
  concurrency: number
  perRunConcurrency: number
  fileRoots: string[]
  allowPrivateHosts: string[]
  /** Where asset bytes live (the `S3_*` variables); absent means local files under `dataDir`. */
  assets?: AssetStorageConfig
  /** How node tasks travel: in this process, or over BullMQ to workers (`REDIS_URL`). */
  queue?: QueueConfig
}

export type QueueConfig =
  | { kind: 'inline' }
  | {
      kind: 'bullmq'
      redisUrl: string
      /** Redis key prefix (several installations may share a server). */
      prefix: string
      /** How long a worker's claim on a task lasts without renewal. */
      leaseMs: number
      sweepIntervalMs: number
      /** How long a stopping worker lets attempts finish before handing them back. */
      shutdownGraceMs: number
      /** Node attempts a worker runs at once per queue. */
      workerConcurrency: number
    }

const positiveInt = z.coerce.number().int().positive()

const envSchema = z.object({
  PATCHBAY_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  PATCHBAY_DB_POOL_SIZE: positiveInt.default(10),
  PATCHBAY_CONCURRENCY: positiveInt.default(256),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  PATCHBAY_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'use up to 64 letters, digits, "_" or "-"')
    .default('patchbay'),
  PATCHBAY_LEASE_MS: positiveInt.min(1000).default(30_000),
  PATCHBAY_SWEEP_INTERVAL_MS: positiveInt.min(100).default(15_000),
  PATCHBAY_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(30_000),
  PATCHBAY_WORKER_CONCURRENCY: positiveInt.default(16),
  PATCHBAY_RUN_CONCURRENCY: positiveInt.optional(),
  PATCHBAY_FILE_ROOTS: z.string().optional(),
  PATCHBAY_ALLOW_PRIVATE_HOSTS: z.string().optional(),
})

/**
 * Reads the configuration from `env`. `defaults.fileRoots` applies when PATCHBAY_FILE_ROOTS
 * is unset (the CLI lets workflows read its working directory; servers read nothing).
 */
export function configFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  defaults: { fileRoots?: string[] } = {},
): RuntimeConfig {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new PatchbayError('INVALID_CONFIG', `invalid configuration: ${problems.join('; ')}`)
  }
  const values = parsed.data
  return {
    dataDir: resolve(values.PATCHBAY_DATA_DIR),
    databaseUrl: values.DATABASE_URL,
    dbPoolSize: values.PATCHBAY_DB_POOL_SIZE,
    concurrency: values.PATCHBAY_CONCURRENCY,
    perRunConcurrency: values.PATCHBAY_RUN_CONCURRENCY ?? Number.POSITIVE_INFINITY,
    fileRoots:
      values.PATCHBAY_FILE_ROOTS === undefined
        ? (defaults.fileRoots ?? [])
        : splitList(values.PATCHBAY_FILE_ROOTS, ':').map((root) => resolve(root)),
    allowPrivateHosts: splitList(values.PATCHBAY_ALLOW_PRIVATE_HOSTS ?? '', ','),
    assets: assetConfigFromEnv(env),
    queue: queueConfig(values),
  }
}

function queueConfig(values: z.infer<typeof envSchema>): QueueConfig {
  if (!values.REDIS_URL) return { kind: 'inline' }
  if (!values.DATABASE_URL) {
    throw new PatchbayError(
      'INVALID_CONFIG',
      'invalid configuration: REDIS_URL needs DATABASE_URL (workers share run state through PostgreSQL)',
    )
  }
  return {
    kind: 'bullmq',
    redisUrl: values.REDIS_URL,
    prefix: values.PATCHBAY_REDIS_PREFIX,
    leaseMs: values.PATCHBAY_LEASE_MS,
    sweepIntervalMs: values.PATCHBAY_SWEEP_INTERVAL_MS,
    shutdownGraceMs: values.PATCHBAY_SHUTDOWN_GRACE_MS,
    workerConcurrency: values.PATCHBAY_WORKER_CONCURRENCY,
  }
}

function splitList(text: string, separator: string): string[] {
  return text
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
}
