import type { ByteSource } from '@patchbay/core'

/** Result of storing bytes: their content address. */
export interface StoredBlob {
  /** Where the bytes live; derived from the hash, so storing the same bytes twice is a no-op. */
  key: string
  sha256: string
  bytes: number
}

/**
 * Content-addressed byte storage. Siblings (`local`, `memory`, `s3`) implement it and pass the
 * same contract test suite. Keys come only from `put`. Stores that can hand browsers URLs of
 * their own also implement `PresigningAssetStore` (see `presigning.ts`).
 */
export interface AssetStore {
  readonly kind: 'local' | 'memory' | 's3'
  /** Stores bytes, streaming when given an iterable, hashing as it goes. Idempotent. */
  put(data: ByteSource): Promise<StoredBlob>
  read(key: string): Promise<Uint8Array>
  /** Streams the bytes, or the inclusive byte range `[start, end]` of them. */
  stream(key: string, range?: { start: number; end?: number }): AsyncIterable<Uint8Array>
  exists(key: string): Promise<boolean>
  delete(key: string): Promise<void>
  /** A file on local disk holding the bytes (downloaded to a cache first for remote stores). */
  localPath(key: string): Promise<string>
  /**
   * Checks that the store can be used at all (for `/ready`): an S3 bucket that exists and that
   * the credentials may reach. Optional; stores without it are checked with `exists`.
   */
  ping?(): Promise<void>
  /** Releases connections (e.g. an S3 client's sockets); optional, nothing to release by default. */
  close?(): Promise<void>
}
