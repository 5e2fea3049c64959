import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { configFromEnv } from './config.ts'

describe('configFromEnv', () => {
  it('has embedded defaults', () => {
    expect(configFromEnv({}, { fileRoots: ['/work'] })).toEqual({
      dataDir: resolve('./data'),
      databaseUrl: undefined,
      dbPoolSize: 10,
      concurrency: 256,
      perRunConcurrency: Number.POSITIVE_INFINITY,
      fileRoots: ['/work'],
      allowPrivateHosts: [],
      assets: { kind: 'local' },
      queue: { kind: 'inline' },
    })
  })

  it('reads every setting', () => {
    const config = configFromEnv({
      PATCHBAY_DATA_DIR: '/srv/patchbay',
      DATABASE_URL: 'postgresql://u:p@db:5432/patchbay',
      PATCHBAY_DB_POOL_SIZE: '24',
      PATCHBAY_CONCURRENCY: '8',
      PATCHBAY_RUN_CONCURRENCY: '2',
      PATCHBAY_FILE_ROOTS: '/a:/b',
      PATCHBAY_ALLOW_PRIVATE_HOSTS: 'comfy.local, 10.0.0.5',
    })
    expect(config).toMatchObject({
      dataDir: '/srv/patchbay',
      databaseUrl: 'postgresql://u:p@db:5432/patchbay',
      dbPoolSize: 24,
      concurrency: 8,
      perRunConcurrency: 2,
      fileRoots: ['/a', '/b'],
      allowPrivateHosts: ['comfy.local', '10.0.0.5'],
    })
  })

  it('names each bad setting and never echoes a database password', () => {
    const attempt = () => configFromEnv({ DATABASE_URL: 'mysql://root:hunter2@db/x', PATCHBAY_CONCURRENCY: 'lots' })
    expect(attempt).toThrow(/DATABASE_URL must start with postgres/)
    expect(attempt).toThrow(/PATCHBAY_CONCURRENCY/)
    expect(attempt).not.toThrow(/hunter2/)
  })

  it('treats an empty DATABASE_URL as unset', () => {
    expect(configFromEnv({ DATABASE_URL: '' }).databaseUrl).toBeUndefined()
  })
})

describe('the queue settings', () => {
  it('select BullMQ with REDIS_URL, which needs PostgreSQL', () => {
    const config = configFromEnv({
      REDIS_URL: 'redis://127.0.0.1:6379',
      DATABASE_URL: 'postgres://127.0.0.1/patchbay',
      PATCHBAY_LEASE_MS: '5000',
    })
    expect(config.queue).toEqual({
      kind: 'bullmq',
      redisUrl: 'redis://127.0.0.1:6379',
      prefix: 'patchbay',
      leaseMs: 5000,
      sweepIntervalMs: 15_000,
      shutdownGraceMs: 30_000,
      workerConcurrency: 16,
    })
    expect(() => configFromEnv({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/REDIS_URL needs DATABASE_URL/)
    expect(() => configFromEnv({ REDIS_URL: 'http://x' })).toThrow(/REDIS_URL must start with redis:\/\//)
    expect(() =>
      configFromEnv({ REDIS_URL: 'redis://x', DATABASE_URL: 'postgres://x/y', PATCHBAY_LEASE_MS: '10' }),
    ).toThrow(/PATCHBAY_LEASE_MS/)
  })
})
