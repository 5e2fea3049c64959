import type { AssetStore, StoredBlob } from '@patchbay/storage'
import { ApiError } from '../api/errors.ts'
import { multipartBoundary, readMultipart } from './multipart.ts'
import { type SniffResult, sniffBytes, sniffMedia } from './sniff.ts'

/** Room for the multipart envelope (boundaries, part headers, small fields) on top of the file itself. */
const envelopeBytes = 64 * 1024
/** Largest `name` field. */
const maxNameBytes = 1024
/** Longest name kept (in characters). */
const maxNameLength = 200

export interface ReceivedUpload {
  blob: StoredBlob
  sniffed: Extract<SniffResult, { ok: true }>
  /** The `name` field, else the file name the client gave (without any directory), else null. */
  name: string | null
}

export interface ReceiveUploadOptions {
  assets: AssetStore
  /** Largest file accepted, in bytes. */
  maxBytes: number
  /** Removes stored bytes when the request fails after the file was stored (a malformed tail). */
  discard: (blob: StoredBlob) => Promise<void>
}

/**
 * Reads a `multipart/form-data` upload (a `file` field, optionally `name`) and streams the
 * file into the asset store, never holding more than its first {@link sniffBytes} in memory.
 * The type is sniffed from those first bytes before anything is stored: anything but an
 * image, video or audio file is refused with 415. More than `maxBytes` is refused with 413,
 * as soon as the count is passed (up front when Content-Length already says so).
 */
export async function receiveUpload(request: Request, options: ReceiveUploadOptions): Promise<ReceivedUpload> {
  const { maxBytes } = options
  const boundary = multipartBoundary(request.headers.get('content-type') ?? undefined)
  if (!boundary) {
    throw new ApiError(400, 'INVALID_UPLOAD', 'send the file as multipart/form-data, in a field named "file"')
  }
  const declared = Number(request.headers.get('content-length') ?? Number.NaN)
  if (declared > maxBytes + envelopeBytes) throw tooLarge(maxBytes)
  if (!request.body) throw missingFile()

  let file: { blob: StoredBlob; sniffed: ReceivedUpload['sniffed']; filename: string | undefined } | undefined
  let nameField: string | undefined
  const source = limitedBody(request.body, maxBytes + envelopeBytes, () => tooLarge(maxBytes))
  try {
    for await (const part of readMultipart(source, boundary)) {
      if (part.name === 'file') {
        if (file) throw new ApiError(400, 'INVALID_UPLOAD', 'send one file per upload')
        file = { ...(await storeFile(part.body, options)), filename: part.filename }
      } else if (part.name === 'name') {
        nameField = await readText(part.body, maxNameBytes, 'name')
      }
      // Other fields are skipped (the multipart reader drains them).
    }
  } catch (error) {
    if (file) await options.discard(file.blob)
    throw error
  } finally {
    // Stops reading a body left early (refused, or an epilogue after the closing boundary).
    await source.return(undefined)
  }
  if (!file) throw missingFile()
  const name = nameField === undefined ? cleanName(file.filename?.split(/[/\\]/).pop()) : cleanName(nameField)
  return { blob: file.blob, sniffed: file.sniffed, name }
}

/** Sniffs the first bytes, then streams them and the rest into the store. */
async function storeFile(
  body: AsyncIterable<Uint8Array>,
  options: ReceiveUploadOptions,
): Promise<Omit<ReceivedUpload, 'name'>> {
  const iterator = body[Symbol.asyncIterator]()
  const headChunks: Uint8Array[] = []
  let total = 0
  let ended = false
  while (total < sniffBytes) {
    const next = await iterator.next()
    if (next.done) {
      ended = true
      break
    }
    headChunks.push(next.value)
    total += next.value.byteLength
    if (total > options.maxBytes) throw tooLarge(options.maxBytes)
  }
  const head = Buffer.concat(headChunks)
  const sniffed = await sniffMedia(head)
  if (!sniffed.ok) {
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `this upload is refused: ${sniffed.reason}`, {
      details: sniffed.detected === undefined ? {} : { detected: sniffed.detected },
    })
  }
  async function* everything(): AsyncGenerator<Uint8Array> {
    yield head
    if (ended) return
    for (;;) {
      const next = await iterator.next()
      if (next.done) return
      total += next.value.byteLength
      if (total > options.maxBytes) throw tooLarge(options.maxBytes)
      yield next.value
    }
  }
  // A failed put (e.g. too large) removes its partial file itself.
  const blob = await options.assets.put(everything())
  return { blob, sniffed }
}

/** The request body as an iterable that throws once more than `limit` bytes arrive, and cancels the body when left early. */
async function* limitedBody(
  body: ReadableStream<Uint8Array>,
  limit: number,
  tooMuch: () => ApiError,
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader()
  let total = 0
  let complete = false
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) {
        complete = true
        return
      }
      total += value.byteLength
      if (total > limit) throw tooMuch()
      yield value
    }
  } finally {
    if (!complete) await reader.cancel().catch(() => {})
  }
}

async function readText(body: AsyncIterable<Uint8Array>, limit: number, field: string): Promise<string> {
  const chunks: Uint8Array[] = []
  let total = 0
  for await (const chunk of body) {
    total += chunk.byteLength
    if (total > limit) throw new ApiError(400, 'INVALID_UPLOAD', `the "${field}" field is longer than ${limit} bytes`)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** A display name: no control characters, at most {@link maxNameLength} characters, null when blank. */
export function cleanName(raw: string | undefined): string | null {
  if (raw === undefined) return null
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = raw.replace(/[\u0000-\u001f\u007f]/g, '').trim()
  return clean === '' ? null : Array.from(clean).slice(0, maxNameLength).join('')
}

export function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, 'PAYLOAD_TOO_LARGE', `uploads are limited to ${maxBytes} bytes`, { details: { maxBytes } })
}

function missingFile(): ApiError {
  return new ApiError(400, 'INVALID_UPLOAD', 'the upload has no "file" field')
}
