export { assertAssetKey, isAssetKey } from './asset-key.ts'
export type { AssetStore, StoredBlob } from './asset-store.ts'
export { contentDisposition } from './content-disposition.ts'
export type { LocalAssetStoreOptions } from './local/local-asset-store.ts'
export { LocalAssetStore } from './local/local-asset-store.ts'
export { MemoryAssetStore } from './memory/memory-asset-store.ts'
export type { AssetRecord, CreateNodeAssetsOptions } from './node-assets.ts'
export { createNodeAssets } from './node-assets.ts'
export type {
  AdoptUploadOptions,
  PresignDownloadOptions,
  PresignedUpload,
  PresigningAssetStore,
  PresignUploadOptions,
} from './presigning.ts'
export { canPresign, isUploadKey, maxPresignSeconds } from './presigning.ts'
