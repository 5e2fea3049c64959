import { type NodeContext, NodeError, PatchbayError } from '@patchbay/core'
import { abortError } from './abort.ts'

/**
 * Downloads `url` through `ctx.fetch` (so the engine's network policy applies) into memory.
 *
 * Failures are `NodeError`s: `INVALID_URL` and `TOO_LARGE` are final; `HTTP_ERROR` is
 * retryable for 408, 425, 429 and 5xx (honouring `Retry-After`) and final otherwise;
 * `FETCH_FAILED` (network trouble) is retryable. Cancellation surfaces as the abort's error,
 * and errors the engine raises on purpose (e.g. a blocked address) pass through unchanged.
 */
export async function download(ctx: NodeContext, url: string, maxBytes: number): Promise<Uint8Array> {
  const { response, shown } = await openDownload(ctx, url, maxBytes)
  const chunks: Uint8Array[] = []
  try {
    for await (const chunk of limitedBody(response, maxBytes, shown)) chunks.push(chunk)
  } catch (error) {
    throw fetchFailure(ctx, error, `download of ${shown} failed`)
  }
  return Buffer.concat(chunks)
}

/**
 * Sends the GET and checks the answer before any body is read: the status, and a declared
 * length over `maxBytes`. Fails as {@link download} describes; `shown` is the URL for messages.
 */
export async function openDownload(
  ctx: NodeContext,
  url: string,
  maxBytes: number,
): Promise<{ response: Response; shown: string }> {
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
  return { response, shown }
}

/**
 * The body's chunks, failing with `TOO_LARGE` as soon as more than `maxBytes` arrived (the
 * declared length may be absent or wrong). `counter.bytes` tracks what was read.
 */
export async function* limitedBody(
  response: Response,
  maxBytes: number,
  shown: string,
  counter = { bytes: 0 },
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

/**
 * The URL as safe to show in messages and logs: origin and path only, since query strings
 * and credentials often carry tokens. Throws `INVALID_URL` for anything but http(s).
 */
export function displayUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new NodeError('INVALID_URL', `"${url.slice(0, 200)}" is not a valid URL`)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new NodeError('INVALID_URL', `only http and https URLs can be fetched, not ${parsed.protocol}`)
  }
  return `${parsed.origin}${parsed.pathname}`
}

/** A failed request or body as a retryable `FETCH_FAILED`, unless it was canceled or refused on purpose. */
export function fetchFailure(ctx: NodeContext, error: unknown, what: string): Error {
  if (ctx.signal.aborted) return abortError(ctx.signal)
  if (error instanceof PatchbayError) return error
  const reason = error instanceof Error ? describeNetworkError(error) : String(error)
  return new NodeError('FETCH_FAILED', `${what}: ${reason}`, { retryable: true, cause: error })
}

/** undici reports "fetch failed" and hides the useful part (e.g. ECONNREFUSED) in `cause`. */
function describeNetworkError(error: Error): string {
  const cause = error.cause
  if (cause instanceof Error) {
    const code = 'code' in cause && typeof cause.code === 'string' ? `${cause.code}: ` : ''
    return `${error.message} (${code}${cause.message})`
  }
  return error.message
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

/** `Retry-After` as milliseconds: delay-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined
  const value = header.trim()
  if (/^\d+$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}
