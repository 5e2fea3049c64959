export type { S3AssetStoreOptions } from './s3-asset-store.ts'
export { S3AssetStore } from './s3-asset-store.ts'
