import { type AssetRef, kindFromMime, type NodeAssets, NodeError } from '@patchbay/core'
import { fileTypeFromBuffer } from 'file-type'
import sharp from 'sharp'
import type { MediaSource, ProviderCall } from './adapter.ts'
import { ProviderHttpError } from './http.ts'

type MediaKind = 'image' | 'video' | 'audio'

/**
 * Stores generated media as an asset. URLs are downloaded now because providers' URLs
 * expire; videos and audio stream straight into the store, images are read whole (they are
 * small) so their dimensions can be recorded. The type is checked from the bytes.
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
  if (kind === 'image') {
    const bytes = new Uint8Array(await response.arrayBuffer())
    return storeBytes(bytes, { ...source, ...(declared ? { mime: declared } : {}) }, kind, assets)
  }
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
