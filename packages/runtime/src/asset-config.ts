import { inspect } from 'node:util'
import { PatchbayError } from '@patchbay/core'
import { z } from 'zod'

/**
 * A static S3 key pair. The secret is a private field behind a getter, so it shows up
 * neither in `JSON.stringify` (logs), nor in `util.inspect` / `console.log`, nor in error
 * details that copy the config.
 */
export class S3Credentials {
  readonly accessKeyId: string
  readonly #secretAccessKey: string

  constructor(accessKeyId: string, secretAccessKey: string) {
    this.accessKeyId = accessKeyId
    this.#secretAccessKey = secretAccessKey
  }

  get secretAccessKey(): string {
    return this.#secretAccessKey
  }

  toJSON(): { accessKeyId: string; secretAccessKey: string } {
    return { accessKeyId: this.accessKeyId, secretAccessKey: '[redacted]' }
  }

  [inspect.custom](): string {
    return `S3Credentials { accessKeyId: '${this.accessKeyId}', secretAccessKey: [redacted] }`
  }
}

/** Where asset bytes live: files under `<dataDir>/assets`, or an S3-compatible bucket. */
export type AssetStorageConfig =
  | { kind: 'local' }
  | {
      kind: 's3'
      bucket: string
      region: string
      /** MinIO, R2, GCS interop…; AWS itself when undefined. */
      endpoint: string | undefined
      forcePathStyle: boolean
      /** `''` or a prefix ending in `/`. */
      prefix: string
      /** Undefined: the AWS SDK's default credential chain (AWS_* variables, profile, instance role). */
      credentials: S3Credentials | undefined
      /** How large the local download cache (for ffmpeg and sharp) may grow before old copies go. */
      cacheMaxBytes: number
    }

const blankIsUnset = (value: unknown) => (value === '' ? undefined : value)
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsUnset, schema.optional())

const s3EnvSchema = z.object({
  S3_BUCKET: optional(
    z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/,
        'S3_BUCKET must be a bucket name: 3 to 63 lowercase letters, digits, dots, hyphens or underscores',
      ),
  ),
  S3_REGION: optional(z.string().regex(/^[a-z0-9-]{1,40}$/, 'S3_REGION must look like us-east-1 (or auto for R2)')),
  S3_ENDPOINT: optional(
    z
      .url({ protocol: /^https?$/, error: 'S3_ENDPOINT must be an http(s) URL such as https://minio.example.com:9000' })
      .refine(hasNoUserInfo, 'S3_ENDPOINT must not carry credentials; use S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY')
      .transform((value) => value.replace(/\/+$/, '')),
  ),
  S3_FORCE_PATH_STYLE: optional(
    z.enum(['true', 'false', '1', '0'], { error: 'S3_FORCE_PATH_STYLE must be true or false' }),
  ),
  S3_ACCESS_KEY_ID: optional(z.string().max(256)),
  S3_SECRET_ACCESS_KEY: optional(z.string().max(1024)),
  S3_PREFIX: optional(
    z
      .string()
      .max(512)
      .regex(
        /^[A-Za-z0-9!_.*'()/-]+$/,
        "S3_PREFIX may hold letters, digits and ! _ . * ' ( ) / - only (e.g. patchbay/)",
      )
      .refine((value) => !value.split('/').includes('..'), 'S3_PREFIX must not contain ".." segments'),
  ),
  S3_CACHE_MAX_MB: optional(
    z.coerce
      .number({ error: 'S3_CACHE_MAX_MB must be a whole number of megabytes' })
      .int('S3_CACHE_MAX_MB must be a whole number of megabytes')
      .min(64, 'S3_CACHE_MAX_MB must be at least 64'),
  ),
})

const defaultCacheMaxMb = 4096

function hasNoUserInfo(value: string): boolean {
  try {
    const url = new URL(value)
    return url.username === '' && url.password === ''
  } catch {
    // Not a URL at all: the URL check already says so.
    return true
  }
}

/**
 * Reads the `S3_*` variables: S3_BUCKET selects S3, the others refine it. Problems are one
 * `INVALID_CONFIG` error naming each variable, never echoing a value.
 */
export function assetConfigFromEnv(env: NodeJS.ProcessEnv): AssetStorageConfig {
  const parsed = s3EnvSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new PatchbayError('INVALID_CONFIG', `invalid configuration: ${problems.join('; ')}`)
  }
  const values = parsed.data
  const { S3_BUCKET: bucket, S3_ACCESS_KEY_ID: accessKeyId, S3_SECRET_ACCESS_KEY: secretAccessKey } = values
  if (bucket === undefined) {
    const stray = Object.entries(values)
      .filter(([, value]) => value !== undefined)
      .map(([name]) => name)
    if (stray.length > 0) {
      throw new PatchbayError(
        'INVALID_CONFIG',
        `invalid configuration: ${stray.join(', ')} ${stray.length === 1 ? 'is' : 'are'} set but S3_BUCKET is not; ` +
          'set S3_BUCKET to keep assets in S3, or unset the S3_* variables to keep them in PATCHBAY_DATA_DIR',
      )
    }
    return { kind: 'local' }
  }
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new PatchbayError(
      'INVALID_CONFIG',
      'invalid configuration: set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither ' +
        '(then the AWS SDK finds credentials itself: AWS_* variables, a profile, an instance role)',
    )
  }
  const trimmedPrefix = (values.S3_PREFIX ?? '').replace(/^\/+|\/+$/g, '')
  return {
    kind: 's3',
    bucket,
    region: values.S3_REGION ?? 'us-east-1',
    endpoint: values.S3_ENDPOINT,
    forcePathStyle:
      values.S3_FORCE_PATH_STYLE === undefined
        ? values.S3_ENDPOINT !== undefined
        : values.S3_FORCE_PATH_STYLE === 'true' || values.S3_FORCE_PATH_STYLE === '1',
    prefix: trimmedPrefix === '' ? '' : `${trimmedPrefix}/`,
    credentials:
      accessKeyId === undefined || secretAccessKey === undefined
        ? undefined
        : new S3Credentials(accessKeyId, secretAccessKey),
    cacheMaxBytes: (values.S3_CACHE_MAX_MB ?? defaultCacheMaxMb) * 1024 * 1024,
  }
}

/** Where assets are kept, for people (start-up banner, logs): no credentials. */
export function describeAssetStorage(config: AssetStorageConfig | undefined, dataDir: string): string {
  if (config === undefined || config.kind === 'local') return `${dataDir}/assets`
  const where = `s3://${config.bucket}/${config.prefix}`
  return config.endpoint === undefined ? `${where} (${config.region})` : `${where} at ${config.endpoint}`
}
