/** What a `Range` header asks of a body of known size (RFC 9110 §14). */
export type RangeRequest =
  /** No usable range: answer 200 with the whole body. */
  | { kind: 'whole' }
  /** One satisfiable range: answer 206 with bytes `start`..`end` (inclusive). */
  | { kind: 'range'; start: number; end: number }
  /** A well-formed range that selects no byte: answer 416, with a Content-Range that names the size. */
  | { kind: 'unsatisfiable' }

const single = /^bytes=[ \t]*(\d*)-(\d*)[ \t]*$/

/**
 * Reads a `Range` header against a body of `size` bytes. Only a single byte range is served;
 * several ranges, other units and malformed headers are answered with the whole body, which
 * the RFC allows (a server may ignore Range).
 *
 * @example
 * parseRange('bytes=0-99', 1000) // { kind: 'range', start: 0, end: 99 }
 * parseRange('bytes=-100', 1000) // { kind: 'range', start: 900, end: 999 }
 * parseRange('bytes=2000-', 1000) // { kind: 'unsatisfiable' }
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return { kind: 'whole' }
  const match = single.exec(header.trim())
  if (!match) return { kind: 'whole' }
  const [, first = '', last = ''] = match
  if (first === '' && last === '') return { kind: 'whole' }
  if (first === '') {
    // A suffix: the last `n` bytes.
    const length = Number(last)
    if (!Number.isSafeInteger(length)) return { kind: 'whole' }
    if (length === 0 || size === 0) return { kind: 'unsatisfiable' }
    return { kind: 'range', start: Math.max(0, size - length), end: size - 1 }
  }
  const start = Number(first)
  const end = last === '' ? Number.POSITIVE_INFINITY : Number(last)
  if (!Number.isSafeInteger(start) || (last !== '' && !Number.isSafeInteger(end)) || end < start) {
    return { kind: 'whole' }
  }
  if (start >= size) return { kind: 'unsatisfiable' }
  return { kind: 'range', start, end: Math.min(end, size - 1) }
}
