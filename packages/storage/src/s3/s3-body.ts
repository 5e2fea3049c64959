import { PatchbayError } from '@patchbay/core'

interface ResponseBody {
  transformToByteArray(): Promise<Uint8Array>
}

/** A GetObject body, or a storage error when S3 sent none. */
export function requireBody<T>(body: T | undefined): T & ResponseBody {
  if (body === undefined || body === null) throw new PatchbayError('ASSET_STORAGE_FAILED', 'S3 sent no body')
  return body as T & ResponseBody
}

/** A GetObject body (a Node stream of Buffers) as plain Uint8Array chunks. */
export async function* bodyChunks(body: unknown): AsyncGenerator<Uint8Array> {
  const source = requireBody(body) as unknown as AsyncIterable<Uint8Array>
  for await (const chunk of source) {
    yield Buffer.isBuffer(chunk) ? new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength) : chunk
  }
}

/** Closes a GetObject body that will not be read, so its connection is not held until it is. */
export function discardBody(body: unknown): void {
  const stream = body as { destroy?: () => void } | undefined
  stream?.destroy?.()
}

/** Where the bytes of a response start: the first offset of its Content-Range, else 0 (the whole object). */
export function rangeStartOf(contentRange: string | undefined): number {
  const match = /^bytes (\d+)-/.exec(contentRange ?? '')
  return match ? Number(match[1]) : 0
}

/**
 * The bytes of the inclusive `range` out of a body that starts at `offset`. HTTP lets a
 * server send more than a range asked for (all of it, with a 200), and some S3-compatible
 * servers do; the surplus is dropped and the body closed once the range is complete.
 */
export async function* clipToRange(
  body: AsyncIterable<Uint8Array>,
  offset: number,
  range: { start: number; end?: number },
): AsyncGenerator<Uint8Array> {
  const stop = range.end === undefined ? Number.POSITIVE_INFINITY : range.end + 1
  let position = offset
  for await (const chunk of body) {
    const from = Math.max(range.start - position, 0)
    const to = Math.min(stop - position, chunk.byteLength)
    position += chunk.byteLength
    if (to > from) yield from === 0 && to === chunk.byteLength ? chunk : chunk.subarray(from, to)
    if (position >= stop) return
  }
}
