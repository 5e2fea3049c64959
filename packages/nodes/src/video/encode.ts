import { join } from 'node:path'
import type { AssetRef, NodeContext } from '@patchbay/core'
import { runFfmpeg, storeMediaFile, withTempDir } from '../support/ffmpeg/index.ts'

/** Per-attempt time limit of the video nodes: long encodes are normal, runaway ones are not. */
export const VIDEO_TIMEOUT_MS = 30 * 60_000

/** Largest side a video node produces; beyond this, H.264 levels and memory give out. */
export const MAX_VIDEO_SIDE = 8192

/** H.264 in 4:2:0, which every player decodes; needs even dimensions. */
const H264_ARGS = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p']

/**
 * Output options for an MP4 every browser plays: H.264 video (or the input's, copied), AAC
 * audio when there is any, the index up front so it streams, and no subtitle or data streams
 * (MP4 cannot hold most of them).
 */
export function mp4OutputArgs(options: { audio: boolean; copyVideo?: boolean }): string[] {
  return [
    ...(options.copyVideo ? ['-c:v', 'copy'] : H264_ARGS),
    ...(options.audio ? ['-c:a', 'aac'] : ['-an']),
    '-sn',
    '-dn',
    '-movflags',
    '+faststart',
  ]
}

/**
 * Runs ffmpeg with `args` (inputs, filters, maps) writing an MP4 to a temporary file, and
 * streams the result into the asset store with its size and duration. Progress is reported
 * against `durationMs`, the expected length of the output; cancellation kills ffmpeg.
 */
export function encodeMp4(
  ctx: NodeContext,
  args: string[],
  options: { audio: boolean; copyVideo?: boolean; durationMs: number | undefined; what: string },
): Promise<AssetRef> {
  return withTempDir(async (dir) => {
    const out = join(dir, 'out.mp4')
    await runFfmpeg(ctx, [...args, ...mp4OutputArgs(options), out], {
      ...(options.durationMs === undefined ? {} : { durationMs: options.durationMs }),
      what: options.what,
    })
    const { ref } = await storeMediaFile(ctx, out, { mime: 'video/mp4', kind: 'video' })
    return ref
  })
}

/** The nearest even number ≥ 2, as H.264 in 4:2:0 needs even widths and heights. */
export function even(pixels: number): number {
  return Math.max(2, Math.round(pixels / 2) * 2)
}

/** Seconds as ffmpeg reads them, without float noise such as `0.30000000000000004`. */
export function seconds(value: number): string {
  return String(Math.round(value * 1_000_000) / 1_000_000)
}
