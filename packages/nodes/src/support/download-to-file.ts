import { createWriteStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import type { NodeContext } from '@patchbay/core'
import { fetchFailure, limitedBody, openDownload } from './download.ts'

/**
 * Downloads `url` through `ctx.fetch` into the file at `path`, streamed, so media far larger
 * than memory can be fetched. Fails like `download`: `INVALID_URL` and `TOO_LARGE` (over
 * `maxBytes`, declared or counted) are final; `HTTP_ERROR` is retryable for 408, 425, 429 and
 * 5xx; `FETCH_FAILED` (network trouble, also mid-body) is retryable; cancellation surfaces as
 * the abort's error. Returns the number of bytes written.
 */
export async function downloadToFile(ctx: NodeContext, url: string, path: string, maxBytes: number): Promise<number> {
  const { response, shown } = await openDownload(ctx, url, maxBytes)
  const counter = { bytes: 0 }
  try {
    await pipeline(limitedBody(response, maxBytes, shown, counter), createWriteStream(path), { signal: ctx.signal })
  } catch (error) {
    throw fetchFailure(ctx, error, `download of ${shown} failed`)
  }
  return counter.bytes
}
