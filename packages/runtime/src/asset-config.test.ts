import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { assetConfigFromEnv, describeAssetStorage } from './asset-config.ts'
import { configFromEnv } from './config.ts'

const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'

describe('asset storage configuration', () => {
  it('keeps assets in the data directory unless S3_BUCKET is set', () => {
    expect(configFromEnv({}).assets).toEqual({ kind: 'local' })
    expect(assetConfigFromEnv({ S3_BUCKET: '' })).toEqual({ kind: 'local' })
  })

  it('selects S3 with S3_BUCKET, defaulting the region and using the SDK’s credential chain', () => {
    expect(assetConfigFromEnv({ S3_BUCKET: 'media' })).toEqual({
      kind: 's3',
      bucket: 'media',
      region: 'us-east-1',
      endpoint: undefined,
      forcePathStyle: false,
      prefix: '',
      credentials: undefined,
      cacheMaxBytes: 4096 * 1024 * 1024,
    })
  })

  it('reads every S3 setting; path style is the default with an endpoint', () => {
    const config = assetConfigFromEnv({
      S3_BUCKET: 'media',
      S3_REGION: 'auto',
      S3_ENDPOINT: 'https://minio.internal:9000/',
      S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      S3_SECRET_ACCESS_KEY: secret,
      S3_PREFIX: '/patchbay/prod',
      S3_CACHE_MAX_MB: '512',
    })
    expect(config).toMatchObject({
      kind: 's3',
      cacheMaxBytes: 512 * 1024 * 1024,
      bucket: 'media',
      region: 'auto',
      endpoint: 'https://minio.internal:9000',
      forcePathStyle: true,
      prefix: 'patchbay/prod/',
    })
    if (config.kind !== 's3') throw new Error('expected S3')
    expect(config.credentials?.accessKeyId).toBe('AKIAEXAMPLE')
    expect(config.credentials?.secretAccessKey).toBe(secret)
    const override = { S3_BUCKET: 'media', S3_ENDPOINT: 'https://r2.example.com', S3_FORCE_PATH_STYLE: 'false' }
    expect(assetConfigFromEnv(override)).toMatchObject({ forcePathStyle: false })
    expect(assetConfigFromEnv({ S3_BUCKET: 'media', S3_FORCE_PATH_STYLE: '1' })).toMatchObject({ forcePathStyle: true })
  })

  it('never shows the secret access key: JSON (logs), inspect (console) or the banner', () => {
    const config = configFromEnv({
      S3_BUCKET: 'media',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      S3_SECRET_ACCESS_KEY: secret,
    })
    expect(JSON.stringify(config)).not.toContain(secret)
    expect(JSON.stringify(config)).toContain('AKIAEXAMPLE')
    expect(inspect(config, { depth: 10 })).not.toContain(secret)
    expect(`${config.assets && JSON.stringify(config.assets)}`).toContain('[redacted]')
    expect(describeAssetStorage(config.assets, config.dataDir)).toBe('s3://media/ at http://127.0.0.1:9000')
    expect(describeAssetStorage(configFromEnv({ S3_BUCKET: 'media', S3_PREFIX: 'pb' }).assets, '/d')).toBe(
      's3://media/pb/ (us-east-1)',
    )
    expect(describeAssetStorage({ kind: 'local' }, '/srv/data')).toBe('/srv/data/assets')
  })

  it('names each bad setting in one INVALID_CONFIG error, without echoing values', () => {
    const attempt = () =>
      configFromEnv({
        S3_BUCKET: 'Bad_Bucket!',
        S3_ENDPOINT: 'minio:9000',
        S3_FORCE_PATH_STYLE: 'maybe',
        S3_PREFIX: 'a/../b',
        S3_CACHE_MAX_MB: '10',
        S3_SECRET_ACCESS_KEY: secret,
      })
    expect(attempt).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }))
    expect(attempt).toThrow(/S3_BUCKET: S3_BUCKET must be a bucket name/)
    expect(attempt).toThrow(/S3_ENDPOINT: S3_ENDPOINT must be an http\(s\) URL/)
    expect(attempt).toThrow(/S3_FORCE_PATH_STYLE must be true or false/)
    expect(attempt).toThrow(/S3_PREFIX must not contain/)
    expect(attempt).toThrow(/S3_CACHE_MAX_MB must be at least 64/)
    expect(attempt).not.toThrow(/minio:9000|Bad_Bucket|maybe/)
    expect(() => assetConfigFromEnv({ S3_BUCKET: 'media', S3_CACHE_MAX_MB: 'lots' })).toThrow(
      /S3_CACHE_MAX_MB must be a whole number of megabytes/,
    )
    expect(() => assetConfigFromEnv({ S3_BUCKET: 'media', S3_ENDPOINT: 'ftp://files.example.com' })).toThrow(
      /S3_ENDPOINT must be an http\(s\) URL/,
    )
    for (const password of ['hunter2', secret]) {
      const withPassword = () =>
        assetConfigFromEnv({ S3_BUCKET: 'media', S3_ENDPOINT: `https://key:${password}@minio.example.com` })
      expect(withPassword).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }))
      expect(withPassword).not.toThrow(password)
    }
    expect(() => assetConfigFromEnv({ S3_BUCKET: 'media', S3_ENDPOINT: 'https://key:hunter2@minio' })).toThrow(
      /must not carry credentials/,
    )
  })

  it('wants both halves of a key pair, and S3_BUCKET for any other S3 setting', () => {
    expect(() => assetConfigFromEnv({ S3_BUCKET: 'media', S3_SECRET_ACCESS_KEY: secret })).toThrow(
      /set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither/,
    )
    expect(() => assetConfigFromEnv({ S3_BUCKET: 'media', S3_ACCESS_KEY_ID: 'AKIA' })).toThrow(/or neither/)
    expect(() => assetConfigFromEnv({ S3_ENDPOINT: 'https://minio:9000', S3_REGION: 'eu-west-1' })).toThrow(
      /S3_REGION, S3_ENDPOINT are set but S3_BUCKET is not/,
    )
  })
})
