import { createWriteStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { type NodeContext, NodeError, PatchbayError } from '@patchbay/core'
import { abortError } from './abort.ts'
import { displayUrl, parseRetryAfter } from './download.ts'

/**
 * Downloads `url` through `ctx.fetch` into the file at `path`, streamed, so media far larger
 * than memory can be fetched. Fails like `download` in `support/download.ts`: `INVALID_URL`
 * and `TOO_LARGE` (over `maxBytes`, declared or counted) are final; `HTTP_ERROR` is retryable
 * for 408, 425, 429 and 5xx; `FETCH_FAILED` (network trouble, also mid-body) is retryable;
 * cancellation surfaces as the abort's error. Returns the number of bytes written.
 */
export async function downloadToFile(ctx: NodeContext, url: string, path: string, maxBytes: number): Promise<number> {
  const shown = displayUrl(url)
  let response: Response
  try {
    response = await ctx.fetch(url)
  } catch (error) {
    throw fetchFailure(ctx, error, `could not fetch ${shown}`)
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined)
    throw httpError(response, shown)
  }
  if (Number(response.headers.get('content-length')) > maxBytes) {
    await response.body?.cancel().catch(() => undefined)
    throw tooLarge(shown, maxBytes)
  }
  const counter = { bytes: 0 }
  try {
    await pipeline(limitedBody(response, maxBytes, shown, counter), createWriteStream(path), { signal: ctx.signal })
  } catch (error) {
    throw fetchFailure(ctx, error, `download of ${shown} failed`)
  }
  return counter.bytes
}

async function* limitedBody(
  response: Response,
  maxBytes: number,
  shown: string,
  counter: { bytes: number },
): AsyncGenerator<Uint8Array> {
  if (!response.body) return
  const reader = response.body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      counter.bytes += value.byteLength
      if (counter.bytes > maxBytes) throw tooLarge(shown, maxBytes)
      yield value
    }
  } finally {
    // Stops the transfer when the body was not read to the end (too large, aborted, disk error).
    await reader.cancel().catch(() => undefined)
  }
}

function httpError(response: Response, shown: string): NodeError {
  const { status } = response
  const retryable = status === 408 || status === 425 || status === 429 || status >= 500
  const retryAfterMs = retryable ? parseRetryAfter(response.headers.get('retry-after')) : undefined
  const statusText = response.statusText ? ` ${response.statusText}` : ''
  return new NodeError('HTTP_ERROR', `GET ${shown} returned HTTP ${status}${statusText}`, {
    retryable,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    details: { status, url: shown },
  })
}

function fetchFailure(ctx: NodeContext, error: unknown, what: string): Error {
  if (ctx.signal.aborted) return abortError(ctx.signal)
  if (error instanceof PatchbayError) return error
  // undici says "fetch failed" and keeps the useful part (e.g. ECONNREFUSED) in `cause`.
  const reason =
    error instanceof Error
      ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}`
      : String(error)
  return new NodeError('FETCH_FAILED', `${what}: ${reason}`, { retryable: true, cause: error })
}

function tooLarge(shown: string, maxBytes: number): NodeError {
  const limit =
    maxBytes >= 1024 ** 3
      ? `${Number((maxBytes / 1024 ** 3).toFixed(1))} GB`
      : maxBytes >= 1024 ** 2
        ? `${Math.round(maxBytes / 1024 ** 2)} MB`
        : `${maxBytes} bytes`
  return new NodeError('TOO_LARGE', `${shown} is larger than the ${limit} limit`)
}
