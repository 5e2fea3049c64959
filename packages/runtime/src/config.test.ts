import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { configFromEnv } from './config.ts'

describe('configFromEnv', () => {
  it('has embedded defaults', () => {
    expect(configFromEnv({}, { fileRoots: ['/work'] })).toEqual({
      dataDir: resolve('./data'),
      databaseUrl: undefined,
      concurrency: 256,
      perRunConcurrency: Number.POSITIVE_INFINITY,
      fileRoots: ['/work'],
      allowPrivateHosts: [],
    })
  })

  it('reads every setting', () => {
    const config = configFromEnv({
      PATCHBAY_DATA_DIR: '/srv/patchbay',
      DATABASE_URL: 'postgresql://u:p@db:5432/patchbay',
      PATCHBAY_CONCURRENCY: '8',
      PATCHBAY_RUN_CONCURRENCY: '2',
      PATCHBAY_FILE_ROOTS: '/a:/b',
      PATCHBAY_ALLOW_PRIVATE_HOSTS: 'comfy.local, 10.0.0.5',
    })
    expect(config).toMatchObject({
      dataDir: '/srv/patchbay',
      databaseUrl: 'postgresql://u:p@db:5432/patchbay',
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
