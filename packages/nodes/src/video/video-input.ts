import { type AssetRef, type NodeContext, NodeError } from '@patchbay/core'
import { type MediaProbe, openMedia } from '../support/ffmpeg/index.ts'
import { requireMedia } from '../support/media-input.ts'

/** A video input opened for ffmpeg, with the facts the video nodes need. */
export interface OpenedVideo {
  ref: AssetRef
  path: string
  probe: MediaProbe
  /** Displayed size: ffmpeg applies rotation metadata when decoding, so filters see this size. */
  width: number
  height: number
  /** Undefined for files that do not record it (some browser recordings). */
  durationMs: number | undefined
  /** The average frame rate, or undefined when the file does not say. */
  fps: number | undefined
  hasAudio: boolean
}

/**
 * Narrows an input to a video reference (`INVALID_INPUT` otherwise) and probes it: bytes
 * ffprobe cannot read, or media without a video stream, are `INVALID_MEDIA`.
 */
export async function openVideo(ctx: NodeContext, value: unknown, input = 'video'): Promise<OpenedVideo> {
  const ref = requireMedia(value, 'video', input)
  const { path, probe } = await openMedia(ctx, ref, input)
  if (!probe.video) throw new NodeError('INVALID_MEDIA', `input "${input}" has no video stream`)
  return {
    ref,
    path,
    probe,
    ...displaySize(probe.video),
    durationMs: probe.durationMs,
    fps: probe.video.fps,
    hasAudio: probe.audio !== undefined,
  }
}

/** The size a player shows: width and height swapped for a quarter-turn rotation. */
export function displaySize(video: NonNullable<MediaProbe['video']>): { width: number; height: number } {
  const quarterTurn = video.rotation === 90 || video.rotation === 270
  return quarterTurn ? { width: video.height, height: video.width } : { width: video.width, height: video.height }
}
