import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { skipSuite } from '@patchbay/core/testing'
import type { S3AssetStoreOptions } from '../s3/s3-asset-store.ts'

/** A local S3 server (s3rver) for one test file, with one bucket. */
export interface S3ForTests {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string
  bucket: string
  region: string
  /** s3rver's built-in account; it does not check Signature V4 signatures. */
  accessKeyId: string
  secretAccessKey: string
  /** Options for an `S3AssetStore` on this server, with a fresh key prefix unless one is given. */
  storeOptions(cacheDir: string, prefix?: string): S3AssetStoreOptions
  /** The `S3_*` variables that point a Patchbay process at this server. */
  env(prefix?: string): Record<string, string>
  close(): Promise<void>
}

/**
 * Starts s3rver on a free loopback port, in a temporary directory, silent. When it cannot
 * start, the suite is skipped with a console message saying why, or, with
 * `PATCHBAY_TEST_REQUIRE_ALL=1` (CI), this throws so the test file fails instead.
 *
 * @example
 * const s3 = await startS3ForTests('S3AssetStore')
 * describe.skipIf(!s3)('S3AssetStore', () => { ... })
 * afterAll(() => s3?.close())
 */
export async function startS3ForTests(suite: string): Promise<S3ForTests | undefined> {
  const directory = await mkdtemp(join(tmpdir(), 'patchbay-s3rver-'))
  const bucket = 'patchbay-test'
  try {
    const { default: S3rver } = await import('s3rver')
    const server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory,
      configureBuckets: [{ name: bucket }],
    })
    const { port } = await server.run()
    const endpoint = `http://127.0.0.1:${port}`
    const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }
    const region = 'us-east-1'
    return {
      endpoint,
      bucket,
      region,
      ...credentials,
      storeOptions: (cacheDir, prefix = `test-${randomUUID()}/`) => ({
        bucket,
        region,
        endpoint,
        forcePathStyle: true,
        ...credentials,
        prefix,
        cacheDir,
      }),
      env: (prefix = `test-${randomUUID()}/`) => ({
        S3_BUCKET: bucket,
        S3_REGION: region,
        S3_ENDPOINT: endpoint,
        S3_ACCESS_KEY_ID: credentials.accessKeyId,
        S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        S3_PREFIX: prefix,
      }),
      close: async () => {
        await server.close()
        await rm(directory, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await rm(directory, { recursive: true, force: true })
    const reason = error instanceof Error ? error.message : String(error)
    skipSuite(suite, `s3rver could not start (${reason})`, 'Run npm install')
    return undefined
  }
}
