import { ApiError } from '../api/errors.ts'

/** One field of a `multipart/form-data` body. */
export interface MultipartPart {
  /** The form field's name. */
  name: string
  /** The file name the client gave, for file fields. */
  filename: string | undefined
  contentType: string | undefined
  /** The field's bytes, streamed; whatever is left unread is skipped when the next part is asked for. */
  body: AsyncIterable<Uint8Array>
}

export interface MultipartOptions {
  /** Largest header block of one part (default 16 KiB). */
  maxHeaderBytes?: number
}

const crlf = Buffer.from('\r\n')
const headerEnd = Buffer.from('\r\n\r\n')

/** The boundary of a `multipart/form-data` Content-Type, or undefined for any other type. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined
  const [type = '', ...params] = contentType.split(';')
  if (type.trim().toLowerCase() !== 'multipart/form-data') return undefined
  for (const param of params) {
    const eq = param.indexOf('=')
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'boundary') continue
    const boundary = unquote(param.slice(eq + 1).trim())
    // RFC 2046: 1 to 70 characters, not ending in a space.
    return /^[ -~]{0,69}[!-~]$/.test(boundary) ? boundary : undefined
  }
  return undefined
}

/**
 * Parses a `multipart/form-data` body as it arrives, never holding more than one network chunk
 * (plus a part's headers) in memory, so a large file can be streamed on to storage.
 *
 * @example
 * for await (const part of readMultipart(request.body, boundary)) {
 *   if (part.name === 'file') await assets.put(part.body)
 * }
 */
export async function* readMultipart(
  source: AsyncIterable<Uint8Array>,
  boundary: string,
  options: MultipartOptions = {},
): AsyncGenerator<MultipartPart> {
  const reader = new MultipartReader(source, boundary, options.maxHeaderBytes ?? 16 * 1024)
  for (;;) {
    const part = await reader.nextPart()
    if (!part) return
    yield part
  }
}

class MultipartReader {
  readonly #source: AsyncIterator<Uint8Array>
  readonly #delimiter: Buffer
  readonly #maxHeaderBytes: number
  // Starts with CRLF so that a body opening with `--boundary` (no preamble) matches the delimiter.
  #buffer: Buffer = crlf
  #ended = false
  #started = false
  #inPart = false
  #finished = false

  constructor(source: AsyncIterable<Uint8Array>, boundary: string, maxHeaderBytes: number) {
    this.#source = source[Symbol.asyncIterator]()
    this.#delimiter = Buffer.from(`\r\n--${boundary}`)
    this.#maxHeaderBytes = maxHeaderBytes
  }

  async nextPart(): Promise<MultipartPart | undefined> {
    if (this.#inPart) for await (const _ of this.#readBody()) void _
    if (!this.#started) {
      for await (const _ of this.#readBody()) void _
      this.#started = true
    }
    if (this.#finished) return undefined
    await this.#need(2)
    if (this.#buffer[0] === 0x2d && this.#buffer[1] === 0x2d) {
      // `--` after the delimiter closes the body; an epilogue is ignored.
      this.#finished = true
      return undefined
    }
    const headers = await this.#readHeaders()
    const disposition = parseParams(headers.get('content-disposition') ?? '')
    const name = disposition.params.get('name')
    if (disposition.value.toLowerCase() !== 'form-data' || name === undefined) {
      throw malformed('every part needs a Content-Disposition of form-data with a name')
    }
    this.#inPart = true
    return {
      name,
      filename: disposition.params.get('filename*') ?? disposition.params.get('filename'),
      contentType: headers.get('content-type'),
      body: this.#readBody(),
    }
  }

  /** Yields bytes up to the next delimiter and consumes the delimiter. */
  async *#readBody(): AsyncGenerator<Uint8Array> {
    const delimiter = this.#delimiter
    for (;;) {
      const at = this.#buffer.indexOf(delimiter)
      if (at >= 0) {
        const chunk = this.#buffer.subarray(0, at)
        this.#buffer = this.#buffer.subarray(at + delimiter.length)
        this.#inPart = false
        if (chunk.length > 0) yield chunk
        return
      }
      // Everything but a tail that could be the start of the delimiter is part of the body.
      const safe = this.#buffer.length - (delimiter.length - 1)
      if (safe > 0) {
        const chunk = this.#buffer.subarray(0, safe)
        this.#buffer = this.#buffer.subarray(safe)
        yield chunk
      }
      if (!(await this.#fill())) throw malformed('the body ended before the closing boundary')
    }
  }

  /** Reads the header block that follows a delimiter's CRLF, up to and including the blank line. */
  async #readHeaders(): Promise<Map<string, string>> {
    // The delimiter line may carry transport padding (spaces, tabs) before its CRLF.
    const lineEnd = await this.#indexOf(crlf, 0)
    if (!/^[ \t]*$/.test(this.#buffer.subarray(0, lineEnd).toString('latin1'))) {
      throw malformed('unexpected bytes after a boundary')
    }
    this.#buffer = this.#buffer.subarray(lineEnd)
    // Now at CRLF: the block is `CRLF (header CRLF)* CRLF`, so it ends at the first CRLF CRLF.
    const end = await this.#indexOf(headerEnd, 0)
    const block = this.#buffer.subarray(crlf.length, end).toString('utf8')
    this.#buffer = this.#buffer.subarray(end + headerEnd.length)
    const headers = new Map<string, string>()
    for (const line of block.split('\r\n')) {
      if (line === '') continue
      const colon = line.indexOf(':')
      if (colon <= 0) throw malformed('a part header has no name')
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
    }
    return headers
  }

  /** The position of `needle` in the buffer, reading more (within the header limit) until it appears. */
  async #indexOf(needle: Buffer, from: number): Promise<number> {
    for (;;) {
      const at = this.#buffer.indexOf(needle, from)
      if (at >= 0) return at
      if (this.#buffer.length > this.#maxHeaderBytes) throw malformed('a part’s headers are too long')
      if (!(await this.#fill())) throw malformed('the body ended inside a part’s headers')
    }
  }

  async #need(bytes: number): Promise<void> {
    while (this.#buffer.length < bytes) {
      if (!(await this.#fill())) throw malformed('the body ended after a boundary')
    }
  }

  async #fill(): Promise<boolean> {
    if (this.#ended) return false
    const next = await this.#source.next()
    if (next.done) {
      this.#ended = true
      return false
    }
    const chunk = next.value
    this.#buffer =
      this.#buffer.length === 0
        ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
        : Buffer.concat([this.#buffer, chunk])
    return true
  }
}

/** `form-data; name="file"; filename="a.png"` → the value and its parameters (names lower-cased). */
function parseParams(header: string): { value: string; params: Map<string, string> } {
  const semicolon = header.indexOf(';')
  const value = (semicolon < 0 ? header : header.slice(0, semicolon)).trim()
  const params = new Map<string, string>()
  const pattern = /;\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g
  for (const match of header.matchAll(pattern)) {
    const key = match[1]!.toLowerCase()
    const raw = match[2]!.trim()
    const decoded = key.endsWith('*') ? decodeExtended(raw) : unquote(raw)
    if (decoded !== undefined) params.set(key, decoded)
  }
  return { value, params }
}

/** RFC 8187 `UTF-8''a%20b.png`. */
function decodeExtended(raw: string): string | undefined {
  const match = /^utf-8'[^']*'(.*)$/i.exec(raw)
  if (!match) return undefined
  try {
    return decodeURIComponent(match[1]!)
  } catch {
    return undefined
  }
}

function unquote(raw: string): string {
  return raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw
}

function malformed(reason: string): ApiError {
  return new ApiError(400, 'INVALID_UPLOAD', `the multipart/form-data body is malformed: ${reason}`)
}
