import { NodeError } from '@patchbay/core'
import { ffprobeBinary, runTool } from './process.ts'

/** What ffprobe says about a media file, in the units nodes use. */
export interface MediaProbe {
  /** Container format names, e.g. `mov,mp4,m4a,3gp,3g2,mj2`. */
  format: string
  durationMs: number | undefined
  video?: {
    codec: string
    /** Stored (coded) size; swap for a `rotation` of 90 or 270 to get the displayed size. */
    width: number
    height: number
    fps: number | undefined
    frames: number | undefined
    /** Set when the stream asks players to rotate it (phone videos): 90, 180 or 270 degrees. */
    rotation?: number
  }
  /** `bitRate` in bits per second: the stream's own, else the whole file's, when ffprobe knows it. */
  audio?: { codec: string; sampleRate: number; channels: number; bitRate?: number }
}

interface ProbeJson {
  format?: { format_name?: string; duration?: string; bit_rate?: string }
  streams?: Array<{
    codec_type?: string
    codec_name?: string
    width?: number
    height?: number
    avg_frame_rate?: string
    r_frame_rate?: string
    nb_frames?: string
    sample_rate?: string
    channels?: number
    bit_rate?: string
    duration?: string
    disposition?: { attached_pic?: number }
    side_data_list?: Array<{ rotation?: number }>
    tags?: { rotate?: string }
  }>
}

/**
 * Probes a media file. A file ffprobe cannot read (truncated, wrong type, empty) is
 * `INVALID_MEDIA`, final, with ffprobe's reason; `source` names the file in the message.
 */
export async function probeMedia(path: string, source: string, signal: AbortSignal): Promise<MediaProbe> {
  let json: ProbeJson
  try {
    const { stdout } = await runTool(
      ffprobeBinary,
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path],
      { signal, what: `reading ${source}` },
    )
    json = JSON.parse(stdout) as ProbeJson
  } catch (error) {
    if (error instanceof NodeError && error.code === 'MEDIA_FAILED') {
      throw new NodeError(
        'INVALID_MEDIA',
        `${source} is not readable media (${error.message.replace(/^reading [^:]*: /, '')})`,
      )
    }
    throw error
  }
  const streams = json.streams ?? []
  // Cover art in audio files is a "video" stream with the attached_pic disposition.
  const video = streams.find((stream) => stream.codec_type === 'video' && !stream.disposition?.attached_pic)
  const audio = streams.find((stream) => stream.codec_type === 'audio')
  const seconds = Number(json.format?.duration ?? video?.duration ?? audio?.duration)
  return {
    format: json.format?.format_name ?? 'unknown',
    durationMs: Number.isFinite(seconds) ? Math.round(seconds * 1000) : undefined,
    ...(video?.width && video.height
      ? {
          video: {
            codec: video.codec_name ?? 'unknown',
            width: video.width,
            height: video.height,
            fps: frameRate(video.avg_frame_rate) ?? frameRate(video.r_frame_rate),
            frames: video.nb_frames ? Number(video.nb_frames) : undefined,
            ...rotationOf(video),
          },
        }
      : {}),
    ...(audio
      ? {
          audio: {
            codec: audio.codec_name ?? 'unknown',
            sampleRate: Number(audio.sample_rate ?? 0),
            channels: audio.channels ?? 0,
            ...audioBitRate(audio.bit_rate, video ? undefined : json.format?.bit_rate),
          },
        }
      : {}),
  }
}

/** The display-matrix rotation (or the older `rotate` tag), normalised to 90, 180 or 270; nothing for 0. */
function rotationOf(stream: NonNullable<ProbeJson['streams']>[number]): { rotation?: number } {
  const degrees = Number(
    stream.side_data_list?.find((data) => data.rotation !== undefined)?.rotation ?? stream.tags?.rotate ?? 0,
  )
  const rotation = (((Math.round(degrees / 90) * 90) % 360) + 360) % 360
  return rotation === 0 ? {} : { rotation }
}

/** `30000/1001` → 29.97; `0/0` → undefined. */
function frameRate(text: string | undefined): number | undefined {
  if (!text) return undefined
  const [num, den] = text.split('/').map(Number)
  if (!num || !den) return undefined
  return Math.round((num / den) * 1000) / 1000
}

/** Some containers (Ogg, raw FLAC) only know the file's rate, which is the audio's when nothing else is inside. */
function audioBitRate(stream: string | undefined, file: string | undefined): { bitRate?: number } {
  const bitRate = Number(stream ?? file)
  return Number.isFinite(bitRate) && bitRate > 0 ? { bitRate } : {}
}
