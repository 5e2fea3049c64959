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
  const shown = displayUrl(url)
  let response: Response
  try {
    response = await ctx.fetch(url)
  } catch (error) {
    throw fetchFailure(ctx, error, `could not fetch ${shown}`)
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined)
    const { status } = response
    const retryable = status === 408 || status === 425 || status === 429 || status >= 500
    const retryAfterMs = retryable ? parseRetryAfter(response.headers.get('retry-after')) : undefined
    const statusText = response.statusText ? ` ${response.statusText}` : ''
    throw new NodeError('HTTP_ERROR', `GET ${shown} returned HTTP ${status}${statusText}`, {
      retryable,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      details: { status, url: shown },
    })
  }
  const declared = Number(response.headers.get('content-length'))
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined)
    throw tooLarge(shown, maxBytes)
  }
  try {
    return await readBody(response, maxBytes, shown)
  } catch (error) {
    throw fetchFailure(ctx, error, `download of ${shown} failed`)
  }
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

async function readBody(response: Response, maxBytes: number, shown: string): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0)
  const chunks: Uint8Array[] = []
  let total = 0
  const reader = response.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge(shown, maxBytes)
    }
    chunks.push(value)
  }
  const out = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}

function fetchFailure(ctx: NodeContext, error: unknown, what: string): Error {
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
  return new NodeError('TOO_LARGE', `${shown} is larger than the ${Math.round(maxBytes / 1024 / 1024)} MB limit`)
}

/** `Retry-After` as milliseconds: delay-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined
  const value = header.trim()
  if (/^\d+$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}
