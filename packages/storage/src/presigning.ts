import type { AssetStore, StoredBlob } from './asset-store.ts'

/** Longest validity AWS Signature V4 allows a presigned URL (seven days). */
export const maxPresignSeconds = 7 * 24 * 3600

/** A browser upload target made by {@link PresigningAssetStore.presignUpload}. */
export interface PresignedUpload {
  /** Where to send the bytes, with `method` and exactly these `headers`. */
  url: string
  method: 'PUT'
  headers: Record<string, string>
  /** The temporary object the bytes land in (`tmp/<uuid>`); pass it to {@link PresigningAssetStore.adoptUpload}. */
  key: string
  expiresAt: Date
}

export interface PresignDownloadOptions {
  expiresInSeconds: number
  /** The Content-Type the response is served with (the stored object's own type otherwise). */
  contentType?: string
  /** Offered as the download name (`filename` and RFC 8187 `filename*` of Content-Disposition). */
  filename?: string
  /** `inline` (shown in the browser) or `attachment` (downloaded; the default). */
  disposition?: 'inline' | 'attachment'
}

export interface PresignUploadOptions {
  expiresInSeconds: number
  /** Signed into the URL: the upload must send this very Content-Type header. */
  contentType: string
  /**
   * Signed into the URL when given: the storage service refuses a body of any other size. A
   * presigned PUT cannot say "at most", so {@link AdoptUploadOptions.maxBytes} checks again.
   */
  contentLength?: number
}

export interface AdoptUploadOptions {
  /** Larger uploads are refused (`UPLOAD_TOO_LARGE`) and their temporary object deleted. */
  maxBytes?: number
  /**
   * Sees the first `inspectBytes` bytes (all of a shorter upload) before anything is stored
   * under a content key; throwing refuses the upload, deletes the temporary object and
   * rethrows (e.g. a type check that answers 415).
   */
  inspect?: (head: Uint8Array) => Promise<void> | void
  /** How many bytes `inspect` sees (default 64 KiB). */
  inspectBytes?: number
}

/**
 * An {@link AssetStore} whose bytes browsers can fetch and send directly, without passing
 * through the server (S3 and compatible services). Optional: stores without it are served
 * and filled through the server; check with {@link canPresign}.
 *
 * @example
 * if (canPresign(assets)) return Response.redirect(await assets.presignDownload(key, { expiresInSeconds: 300 }), 302)
 */
export interface PresigningAssetStore extends AssetStore {
  /** A URL that GETs the blob `key` (ranges included) until it expires. */
  presignDownload(key: string, options: PresignDownloadOptions): Promise<string>
  /** A URL a browser PUTs a new file to, landing in a temporary object. */
  presignUpload(options: PresignUploadOptions): Promise<PresignedUpload>
  /**
   * Turns an uploaded temporary object into a content-addressed blob: streams it through the
   * hasher (and into the local cache, so `localPath` is then free), copies it to its content
   * key unless that exists, and deletes the temporary object. A missing upload throws
   * `NotFoundError`.
   */
  adoptUpload(tmpKey: string, options?: AdoptUploadOptions): Promise<StoredBlob>
  /** Deletes a temporary upload that will not be adopted (idempotent). */
  discardUpload(tmpKey: string): Promise<void>
}

/** Whether `store` can hand out presigned URLs (see {@link PresigningAssetStore}). */
export function canPresign(store: AssetStore): store is PresigningAssetStore {
  const candidate = store as Partial<PresigningAssetStore>
  return (
    typeof candidate.presignDownload === 'function' &&
    typeof candidate.presignUpload === 'function' &&
    typeof candidate.adoptUpload === 'function' &&
    typeof candidate.discardUpload === 'function'
  )
}

const UPLOAD_KEY = /^tmp\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Whether `key` names a temporary upload (`tmp/<uuid>`), the only thing `adoptUpload` accepts. */
export function isUploadKey(key: unknown): key is string {
  return typeof key === 'string' && UPLOAD_KEY.test(key)
}
