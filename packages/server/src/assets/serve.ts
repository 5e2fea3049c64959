import type { AssetRecord } from '@patchbay/db'
import { type AssetStore, contentDisposition, type PresigningAssetStore } from '@patchbay/storage'
import { ApiError } from '../api/errors.ts'
import { parseRange } from './range.ts'

/**
 * Reads bytes `start`..`end` (inclusive) of a stored blob, or all of it. The one place that
 * knows how a range is read: the AssetStore contract streams ranges itself (a local file is
 * read from an offset; an S3 store will send a ranged GET).
 */
export function readBytes(
  assets: AssetStore,
  storageKey: string,
  range?: { start: number; end: number },
): AsyncIterable<Uint8Array> {
  return assets.stream(storageKey, range)
}

/**
 * Answers a GET/HEAD for an asset's bytes: 200 with all of them, 206 with one requested range,
 * 416 for a range past the end, 304 when the caller's copy (`If-None-Match`) is current.
 * `If-Range` with another ETag gets the whole body, as the RFC says.
 */
export async function serveAsset(request: Request, assets: AssetStore, asset: AssetRecord): Promise<Response> {
  const size = asset.bytes
  const etag = `"${asset.sha256}"`
  const headers = new Headers({
    'content-type': asset.mime,
    'accept-ranges': 'bytes',
    etag,
    'cache-control': 'private',
    'content-disposition': disposition(asset),
  })
  if (matchesEtag(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers })

  const ifRange = request.headers.get('if-range')
  const wanted =
    ifRange === null || ifRange === etag ? parseRange(request.headers.get('range') ?? undefined, size) : undefined
  if (wanted?.kind === 'unsatisfiable') {
    throw new ApiError(416, 'RANGE_NOT_SATISFIABLE', `the range is outside the asset's ${size} bytes`, {
      details: { size },
      headers: { 'content-range': `bytes */${size}` },
    })
  }
  const range = wanted?.kind === 'range' ? { start: wanted.start, end: wanted.end } : undefined
  const length = range ? range.end - range.start + 1 : size
  headers.set('content-length', String(length))
  if (range) headers.set('content-range', `bytes ${range.start}-${range.end}/${size}`)
  const status = range ? 206 : 200
  // HEAD: the headers only, without opening the blob.
  if (request.method === 'HEAD' || length === 0) return new Response(null, { status, headers })
  return new Response(await openStream(readBytes(assets, asset.storageKey, range)), { status, headers })
}

/** Whether an `If-None-Match` list names `etag` (weak comparison, as the RFC asks for GET). */
export function matchesEtag(header: string | null, etag: string): boolean {
  if (header === null) return false
  return header.split(',').some((tag) => {
    const trimmed = tag.trim()
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag
  })
}

/**
 * A web stream of `chunks` whose first chunk is read before the response starts, so a blob
 * missing from storage becomes an error response (404) rather than a truncated 200.
 */
async function openStream(chunks: AsyncIterable<Uint8Array>): Promise<ReadableStream<Uint8Array>> {
  const iterator = chunks[Symbol.asyncIterator]()
  let first: IteratorResult<Uint8Array> | undefined = await iterator.next()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = first ?? (await iterator.next())
      first = undefined
      if (next.done) controller.close()
      else controller.enqueue(next.value)
    },
    async cancel() {
      await iterator.return?.()
    },
  })
}

/**
 * How long a redirect's presigned URL works: long enough for a player to keep reading ranges
 * of a long video, short enough that a leaked URL soon stops working.
 */
export const presignedDownloadSeconds = 15 * 60
/** Browsers may reuse a redirect this long, well inside the URL's own validity. */
const redirectCacheSeconds = 5 * 60

/**
 * Answers a GET for an asset's bytes with a 302 to a presigned URL of the bucket, which serves
 * the bytes (and ranges) with the asset's Content-Type and file name. `If-None-Match` still
 * gets its 304 here, without a round trip to storage.
 */
export async function redirectToStorage(
  request: Request,
  assets: PresigningAssetStore,
  asset: AssetRecord,
): Promise<Response> {
  const etag = `"${asset.sha256}"`
  if (matchesEtag(request.headers.get('if-none-match'), etag)) {
    return new Response(null, { status: 304, headers: { etag, 'cache-control': 'private' } })
  }
  const location = await assets.presignDownload(asset.storageKey, {
    expiresInSeconds: presignedDownloadSeconds,
    contentType: asset.mime,
    disposition: dispositionType(asset),
    ...(asset.name ? { filename: asset.name } : {}),
  })
  return new Response(null, {
    status: 302,
    headers: { location, 'cache-control': `private, max-age=${redirectCacheSeconds}` },
  })
}

/**
 * Media opens in the browser; anything else (a node's text or JSON output) downloads, so a
 * stored HTML file can never run as a page of this origin.
 */
function dispositionType(asset: AssetRecord): 'inline' | 'attachment' {
  const inline = asset.kind === 'image' || asset.kind === 'video' || asset.kind === 'audio'
  return inline && asset.mime !== 'image/svg+xml' ? 'inline' : 'attachment'
}

function disposition(asset: AssetRecord): string {
  return contentDisposition(dispositionType(asset), asset.name)
}
