import { open } from 'node:fs/promises'
import { NodeError } from '@patchbay/core'
import { type MediaProbe, probeMedia } from '../support/ffmpeg/index.ts'
import { displaySize } from './video-input.ts'

/** MIME types of the video containers `video.load` accepts, by ffprobe's format name. */
const mimeByFormat: Record<string, string | ((header: string) => string)> = {
  // ffprobe names MP4 and QuickTime alike; the `ftyp` brand tells them apart.
  'mov,mp4,m4a,3gp,3g2,mj2': (header) => (header.slice(8, 12) === 'qt  ' ? 'video/quicktime' : 'video/mp4'),
  // Likewise WebM and Matroska; the EBML DocType near the start says which.
  'matroska,webm': (header) => (header.includes('webm') ? 'video/webm' : 'video/x-matroska'),
  avi: 'video/x-msvideo',
  mpegts: 'video/mp2t',
  mpeg: 'video/mpeg',
  flv: 'video/x-flv',
  ogg: 'video/ogg',
  asf: 'video/x-ms-asf',
}
const SUPPORTED_LIST = 'MP4, MOV, WebM, MKV, AVI, MPEG-TS, MPEG, FLV, Ogg or ASF'

/** What `video.load` records about a video file. */
export interface VideoFileInfo {
  mime: string
  width: number
  height: number
  durationMs: number | undefined
}

/**
 * Probes a file that should be a video and names its container's MIME type. Unreadable bytes
 * (text, a truncated MP4), still images (ffmpeg reads a PNG as a one-frame "video"), audio-only
 * files and unsupported containers are `INVALID_MEDIA`, final. `source` names the file in messages.
 */
export async function inspectVideoFile(path: string, source: string, signal: AbortSignal): Promise<VideoFileInfo> {
  const probe = await probeMedia(path, source, signal)
  const mime = await containerMime(path, probe)
  if (!mime) {
    throw new NodeError(
      'INVALID_MEDIA',
      `${source} is not a supported video: ffmpeg reads it as "${probe.format}", expected ${SUPPORTED_LIST}`,
    )
  }
  if (!probe.video) throw new NodeError('INVALID_MEDIA', `${source} has no video stream (${mime} with audio only?)`)
  return { mime, ...displaySize(probe.video), durationMs: probe.durationMs }
}

async function containerMime(path: string, probe: MediaProbe): Promise<string | undefined> {
  const entry = mimeByFormat[probe.format]
  if (typeof entry !== 'function') return entry
  return entry(await readHeader(path))
}

/** The first bytes of a file as latin1 text, where container signatures live. */
async function readHeader(path: string): Promise<string> {
  const file = await open(path, 'r')
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(64), 0, 64, 0)
    return buffer.subarray(0, bytesRead).toString('latin1')
  } finally {
    await file.close()
  }
}
