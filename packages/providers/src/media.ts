import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'
import { type AssetRef, kindFromMime, type NodeAssets, NodeError } from '@patchbay/core'
import { fileTypeFromBuffer } from 'file-type'
import sharp from 'sharp'
import type { MediaSource, ProviderCall } from './adapter.ts'
import { ProviderHttpError } from './http.ts'

type MediaKind = 'image' | 'video' | 'audio'

/**
 * Stores generated media as an asset. URLs are downloaded now because providers' URLs
 * expire, and streamed: videos and audio straight into the store, images through a
 * temporary file so that their dimensions can be read from the header before they are
 * stored. Nothing downloaded is held whole in memory. The type is checked from the bytes.
 */
export async function storeMedia(
  source: MediaSource,
  kind: MediaKind,
  call: ProviderCall,
  assets: NodeAssets,
): Promise<AssetRef> {
  if ('bytes' in source) return storeBytes(source.bytes, source, kind, assets)
  const response = await call.fetch(source.url, source.headers ? { headers: source.headers } : {})
  if (!response.ok || !response.body) {
    await response.body?.cancel()
    throw new ProviderHttpError(response.status, `downloading the generated ${kind} failed (${response.status})`)
  }
  const declared = source.mime ?? usefulMime(response.headers.get('content-type'))
  if (kind === 'image') return storeImageDownload(response.body, source, declared, call, assets)
  const reader = response.body.getReader()
  const first = await reader.read()
  const head = first.value ?? new Uint8Array()
  const mime = await checkedMime(head, declared, kind)
  async function* chunks(): AsyncIterable<Uint8Array> {
    if (head.byteLength > 0) yield head
    if (first.done) return
    for (;;) {
      const next = await reader.read()
      if (next.done) return
      yield next.value
    }
  }
  try {
    return await assets.put(chunks(), { mime, kind, ...dimensions(source) })
  } finally {
    reader.releaseLock()
  }
}

async function storeImageDownload(
  body: ReadableStream<Uint8Array>,
  source: MediaSource,
  declared: string | undefined,
  call: ProviderCall,
  assets: NodeAssets,
): Promise<AssetRef> {
  const dir = await mkdtemp(join(tmpdir(), 'patchbay-download-'))
  try {
    const file = join(dir, 'image')
    await pipeline(Readable.fromWeb(body as NodeReadableStream<Uint8Array>), createWriteStream(file), {
      signal: call.signal,
    })
    const head = await readHead(file)
    const mime = await checkedMime(head, declared, 'image')
    const meta = { ...dimensions(source) }
    if (meta.width === undefined || meta.height === undefined) {
      try {
        const info = await sharp(file).metadata()
        if (info.width && info.height) Object.assign(meta, { width: info.width, height: info.height })
      } catch {
        throw new NodeError('GENERATION_FAILED', `the provider returned an unreadable ${mime} image`)
      }
    }
    return await assets.put(createReadStream(file), { mime, kind: 'image', ...meta })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** The first bytes of a file, enough to sniff its type. */
async function readHead(file: string): Promise<Uint8Array> {
  const handle = await open(file, 'r')
  try {
    const buffer = new Uint8Array(4100)
    const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

async function storeBytes(
  bytes: Uint8Array,
  source: Omit<MediaSource, 'bytes' | 'url'> & { mime?: string },
  kind: MediaKind,
  assets: NodeAssets,
): Promise<AssetRef> {
  const mime = await checkedMime(bytes, usefulMime(source.mime ?? null), kind)
  const meta = { ...dimensions(source) }
  if (kind === 'image' && (meta.width === undefined || meta.height === undefined)) {
    try {
      const info = await sharp(bytes).metadata()
      if (info.width && info.height) Object.assign(meta, { width: info.width, height: info.height })
    } catch {
      throw new NodeError('GENERATION_FAILED', `the provider returned an unreadable ${mime} image`)
    }
  }
  return assets.put(bytes, { mime, kind, ...meta })
}

/** The MIME type of the bytes when they say, else the declared one; refuses the wrong kind of media. */
async function checkedMime(head: Uint8Array, declared: string | undefined, kind: MediaKind): Promise<string> {
  const sniffed = (await fileTypeFromBuffer(head))?.mime
  if (sniffed && kindFromMime(sniffed) === kind) return sniffed
  // Containers are ambiguous (an MP4 may sniff as audio): a declared type of the right kind wins, unless the bytes are an image.
  if (declared && kindFromMime(declared) === kind && !(sniffed && kindFromMime(sniffed) === 'image')) return declared
  const found = sniffed ?? declared
  if (found) throw new NodeError('GENERATION_FAILED', `the provider returned ${found} where ${kind} was expected`)
  return kind === 'image' ? 'image/png' : kind === 'video' ? 'video/mp4' : 'audio/mpeg'
}

function usefulMime(value: string | null): string | undefined {
  const mime = value?.split(';')[0]?.trim().toLowerCase()
  return mime && mime !== 'application/octet-stream' && mime !== 'binary/octet-stream' ? mime : undefined
}

function dimensions(source: { width?: number; height?: number; durationMs?: number }) {
  return {
    ...(source.width ? { width: Math.round(source.width) } : {}),
    ...(source.height ? { height: Math.round(source.height) } : {}),
    ...(source.durationMs !== undefined && source.durationMs >= 0 ? { durationMs: source.durationMs } : {}),
  }
}
