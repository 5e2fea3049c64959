import sharp from 'sharp'
import { ffprobeBinary, MediaToolFailedError, MediaToolMissingError, runMediaTool } from './media-tools.ts'
import type { SniffResult } from './sniff.ts'

type Sniffed = Extract<SniffResult, { ok: true }>

/** What an upload is, once its bytes have been read: the fields of its asset record. */
export interface MediaFacts {
  kind: 'image' | 'video' | 'audio'
  mime: string
  width?: number
  height?: number
  durationMs?: number
}

export type ProbeOutcome =
  /** `unprobed`: ffprobe is not installed, so video and audio are taken on their magic bytes alone. */
  { ok: true; facts: MediaFacts; unprobed?: boolean } | { ok: false; reason: string }

/**
 * Reads a stored upload whose type was sniffed: an image must decode completely (a truncated
 * file usually has an intact header) and yields its displayed size; video and audio must
 * have a stream ffprobe can read and yield their duration (video: also its size).
 */
export async function probeMedia(path: string, sniffed: Sniffed): Promise<ProbeOutcome> {
  if (sniffed.kind === 'image') return probeImage(path, sniffed)
  let json: FfprobeJson
  try {
    const stdout = await runMediaTool(ffprobeBinary, [
      '-v',
      'error',
      '-print_format',
      'json',
      '-show_format',
      '-show_streams',
      path,
    ])
    json = JSON.parse(stdout.toString('utf8')) as FfprobeJson
  } catch (error) {
    if (error instanceof MediaToolMissingError) return { ok: true, facts: typeOf(sniffed), unprobed: true }
    if (error instanceof MediaToolFailedError || error instanceof SyntaxError) {
      return { ok: false, reason: `it looks like ${sniffed.mime} but cannot be read (${error.message})` }
    }
    throw error
  }
  return factsFromProbe(json, sniffed)
}

async function probeImage(path: string, sniffed: Sniffed): Promise<ProbeOutcome> {
  try {
    const metadata = await sharp(path).metadata()
    // Decodes every pixel (into a small size, which is fast) to catch truncated files.
    await sharp(path, { failOn: 'truncated' }).resize(64, 64, { fit: 'inside' }).raw().toBuffer()
    const { width, height } = metadata.autoOrient
    return { ok: true, facts: { ...typeOf(sniffed), width, height } }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return { ok: false, reason: `it looks like ${sniffed.mime} but cannot be decoded (${reason})` }
  }
}

/** The parts of `ffprobe -print_format json -show_format -show_streams` used here. */
export interface FfprobeJson {
  format?: { duration?: string }
  streams?: Array<{
    codec_type?: string
    width?: number
    height?: number
    duration?: string
    disposition?: { attached_pic?: number }
    side_data_list?: Array<{ rotation?: number }>
    tags?: { rotate?: string }
  }>
}

/**
 * Turns ffprobe's report into the record's fields. A "video" container holding only sound
 * (an audio-only WebM or MP4) becomes audio, so it gets no thumbnail and plays as audio.
 */
export function factsFromProbe(json: FfprobeJson, sniffed: Sniffed): ProbeOutcome {
  const streams = json.streams ?? []
  // Cover art in audio files is a "video" stream with the attached_pic disposition.
  const video = streams.find((stream) => stream.codec_type === 'video' && !stream.disposition?.attached_pic)
  const audio = streams.find((stream) => stream.codec_type === 'audio')
  const seconds = Number(json.format?.duration ?? video?.duration ?? audio?.duration)
  const duration = Number.isFinite(seconds) && seconds >= 0 ? { durationMs: Math.round(seconds * 1000) } : {}
  if (sniffed.kind === 'video' && video?.width && video.height) {
    const turned = quarterTurned(video)
    return {
      ok: true,
      facts: {
        ...typeOf(sniffed),
        width: turned ? video.height : video.width,
        height: turned ? video.width : video.height,
        ...duration,
      },
    }
  }
  if (audio) {
    const mime = sniffed.kind === 'video' ? sniffed.mime.replace(/^video\//, 'audio/') : sniffed.mime
    return { ok: true, facts: { kind: 'audio', mime, ...duration } }
  }
  return { ok: false, reason: `it looks like ${sniffed.mime} but has no ${sniffed.kind} stream` }
}

function typeOf(sniffed: Sniffed): Pick<MediaFacts, 'kind' | 'mime'> {
  return { kind: sniffed.kind, mime: sniffed.mime }
}

/** Whether the stream asks players to rotate it by 90 or 270 degrees (phone videos), swapping its displayed size. */
function quarterTurned(stream: NonNullable<FfprobeJson['streams']>[number]): boolean {
  const degrees = Number(
    stream.side_data_list?.find((data) => data.rotation !== undefined)?.rotation ?? stream.tags?.rotate ?? 0,
  )
  return Math.abs(Math.round(degrees / 90)) % 2 === 1
}
