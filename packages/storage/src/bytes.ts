import { createHash } from 'node:crypto'
import type { FileHandle } from 'node:fs/promises'
import type { ByteSource } from '@patchbay/core'

/** Checks a byte range against the contract of {@link AssetStore.stream}. */
export function assertRange(range: { start: number; end?: number } | undefined): void {
  if (range === undefined) return
  const { start, end } = range
  const valid =
    Number.isSafeInteger(start) && start >= 0 && (end === undefined || (Number.isSafeInteger(end) && end >= start))
  if (!valid) {
    throw new RangeError(`invalid byte range ${JSON.stringify(range)}: need integers 0 <= start <= end`)
  }
}

/** Hashes chunks as they pass, counting bytes. */
export function createDigest(): { update(chunk: Uint8Array): void; finish(): { sha256: string; bytes: number } } {
  const hash = createHash('sha256')
  let bytes = 0
  return {
    update(chunk) {
      hash.update(chunk)
      bytes += chunk.byteLength
    },
    finish: () => ({ sha256: hash.digest('hex'), bytes }),
  }
}

/** Iterates a byte source chunk by chunk, whether it is one array or a stream of them. */
export async function* chunksOf(data: ByteSource): AsyncGenerator<Uint8Array> {
  if (data instanceof Uint8Array) {
    yield data
    return
  }
  for await (const chunk of data) {
    if (!(chunk instanceof Uint8Array)) throw new TypeError('byte sources must yield Uint8Array chunks')
    yield chunk
  }
}

/** The `[start, end)` slice of a blob of `size` bytes that an inclusive `range` selects, clipped to the blob. */
export function clipRange(range: { start: number; end?: number } | undefined, size: number): [number, number] {
  if (range === undefined) return [0, size]
  const end = range.end === undefined ? size : Math.min(range.end + 1, size)
  return [Math.min(range.start, end), end]
}

/** The chunks as one array (the only chunk itself, uncopied); `bytes` is their total length. */
export function concat(chunks: Uint8Array[], bytes: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array
  const out = new Uint8Array(bytes)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}

/** Writes all of `chunk` at the file's position (one `write` may take only part of it). */
export async function writeAll(file: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await file.write(chunk, offset)
    offset += bytesWritten
  }
}
