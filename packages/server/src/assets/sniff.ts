import { fileTypeFromBuffer } from 'file-type'

/** How much of the start of a file is read to tell its type (file-type needs ~4 KiB for most formats). */
export const sniffBytes = 64 * 1024

/** Raster formats accepted, the ones image nodes (sharp) read; SVG is absent on purpose (it can carry scripts). */
const imageMimes = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/tiff'])

export type SniffResult =
  | { ok: true; mime: string; kind: 'image' | 'video' | 'audio' }
  | { ok: false; reason: string; detected?: string }

/**
 * Tells a file's type from its first bytes (`head`: at least {@link sniffBytes} of it, or all
 * of a shorter file), never from the name or Content-Type the client claimed. Only images,
 * video and audio are accepted; text, JSON, SVG, archives and documents are refused.
 *
 * @example
 * const sniffed = await sniffMedia(firstBytes)
 * if (!sniffed.ok) throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', sniffed.reason)
 */
export async function sniffMedia(head: Uint8Array): Promise<SniffResult> {
  if (head.byteLength === 0) return { ok: false, reason: 'the file is empty' }
  const detected = await fileTypeFromBuffer(head)
  if ((!detected || detected.mime === 'application/xml') && looksLikeSvg(head)) {
    return { ok: false, reason: 'SVG images are not accepted (they can carry scripts); upload a PNG or WebP instead' }
  }
  if (!detected) return { ok: false, reason: 'the file is not a recognised image, video or audio format' }
  const { mime } = detected
  if (imageMimes.has(mime)) return { ok: true, mime, kind: 'image' }
  if (mime.startsWith('video/')) return { ok: true, mime, kind: 'video' }
  if (mime.startsWith('audio/')) return { ok: true, mime, kind: 'audio' }
  const reason = mime.startsWith('image/')
    ? `${mime} images are not accepted; upload PNG, JPEG, GIF, WebP, AVIF or TIFF`
    : `${mime} is not an image, video or audio format`
  return { ok: false, reason, detected: mime }
}

function looksLikeSvg(head: Uint8Array): boolean {
  const text = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, 4096)).toString('utf8')
  return /<svg[\s>]/i.test(text)
}
