import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { openVideo } from './video-input.ts'

/** What `video.info` reports in its `info` output. */
export interface VideoInfo {
  /** Absent when the file does not record its length. */
  durationMs?: number
  /** Displayed size (rotation applied). */
  width: number
  height: number
  /** Average frame rate, when the file states one. */
  fps?: number
  /** Frame count, when the container records it. */
  frames?: number
  videoCodec: string
  audioCodec?: string
  hasAudio: boolean
  /** ffprobe's container name, e.g. `mov,mp4,m4a,3gp,3g2,mj2`. */
  format: string
  bytes: number
  mime: string
}

/**
 * `video.info`: facts about a video, as one `info` object and as separate numbers for wiring
 * into params-driven nodes. `durationSeconds` (and `info.durationMs`) are absent when the file
 * does not record its length. Width and height are the displayed size.
 */
export const videoInfo = defineNode({
  type: 'video.info',
  version: 1,
  category: 'video',
  title: 'Video info',
  description: 'Reads a video’s duration, size, frame rate and codecs.',
  inputs: { video: { type: 'video', required: true } },
  outputs: {
    info: { type: 'json' },
    durationSeconds: { type: 'number' },
    width: { type: 'number' },
    height: { type: 'number' },
  },
  params: z.object({}),
  async run({ inputs, ctx }) {
    const video = await openVideo(ctx, inputs.video)
    const { probe, ref } = video
    const info: VideoInfo = {
      ...(video.durationMs === undefined ? {} : { durationMs: video.durationMs }),
      width: video.width,
      height: video.height,
      ...(video.fps === undefined ? {} : { fps: video.fps }),
      ...(probe.video?.frames === undefined ? {} : { frames: probe.video.frames }),
      videoCodec: probe.video?.codec ?? 'unknown',
      ...(probe.audio ? { audioCodec: probe.audio.codec } : {}),
      hasAudio: video.hasAudio,
      format: probe.format,
      bytes: ref.bytes,
      mime: ref.mime,
    }
    return {
      info,
      ...(video.durationMs === undefined ? {} : { durationSeconds: video.durationMs / 1000 }),
      width: video.width,
      height: video.height,
    }
  },
})
