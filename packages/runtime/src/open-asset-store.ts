import { join } from 'node:path'
import { type AssetStore, LocalAssetStore } from '@patchbay/storage'
import type { AssetStorageConfig } from './asset-config.ts'

/**
 * The AssetStore the configuration names: files under `<dataDir>/assets`, or an S3 bucket
 * with its download cache in `<dataDir>/cache/assets`. The S3 store (and the AWS SDK) is
 * loaded only when configured, so embedded installs do not pay for it at start-up.
 */
export async function openAssetStore(config: { dataDir: string; assets?: AssetStorageConfig }): Promise<AssetStore> {
  const assets = config.assets ?? { kind: 'local' }
  if (assets.kind === 'local') return new LocalAssetStore({ root: join(config.dataDir, 'assets') })
  const { S3AssetStore } = await import('@patchbay/storage/s3')
  return new S3AssetStore({
    bucket: assets.bucket,
    region: assets.region,
    ...(assets.endpoint === undefined ? {} : { endpoint: assets.endpoint }),
    forcePathStyle: assets.forcePathStyle,
    prefix: assets.prefix,
    ...(assets.credentials === undefined
      ? {}
      : { accessKeyId: assets.credentials.accessKeyId, secretAccessKey: assets.credentials.secretAccessKey }),
    cacheDir: join(config.dataDir, 'cache', 'assets'),
    cacheMaxBytes: assets.cacheMaxBytes,
  })
}
