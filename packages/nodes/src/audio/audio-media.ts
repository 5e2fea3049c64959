import { join } from 'node:path'
import { type AssetRef, type NodeContext, NodeError } from '@patchbay/core'
import { type MediaProbe, openMedia, runFfmpeg, storeMediaFile, withTempDir } from '../support/ffmpeg/index.ts'
import { requireMedia } from '../support/media-input.ts'
import { type AudioFormat, type EncodeOptions, encodeArgs, formatSpecs } from './formats.ts'

/** Default time limit of the ffmpeg audio nodes: generous, as long recordings take a while. */
export const AUDIO_TIMEOUT_MS = 10 * 60_000

export type AudioProbe = MediaProbe & { audio: NonNullable<MediaProbe['audio']> }

/** An audio input opened for ffmpeg. */
export interface OpenedAudio {
  ref: AssetRef
  path: string
  probe: AudioProbe
}

/**
 * Opens the value of an audio input: `INVALID_INPUT` unless it is an audio reference,
 * `INVALID_MEDIA` when the stored bytes are not readable audio.
 */
export async function openAudio(ctx: NodeContext, value: unknown, input: string): Promise<OpenedAudio> {
  const ref = requireMedia(value, 'audio', input)
  const { path, probe } = await openMedia(ctx, ref, input)
  return { ref, path, probe: requireAudioStream(probe, `input "${input}"`) }
}

/** The probe, narrowed to one with audio; `INVALID_MEDIA` naming `source` otherwise. */
export function requireAudioStream(probe: MediaProbe, source: string): AudioProbe {
  if (probe.audio) return probe as AudioProbe
  const holds = probe.video ? 'only a picture or video' : 'no audio'
  throw new NodeError('INVALID_MEDIA', `${source} has no audio stream (it holds ${holds})`)
}

/** The `-i` arguments for every opened input, in order. */
export function inputArgs(inputs: readonly OpenedAudio[]): string[] {
  return inputs.flatMap((input) => ['-i', input.path])
}

/** A filter that brings an input to `target`'s sample rate and channel layout. */
export function matchFormatFilter(target: AudioProbe): string {
  const { sampleRate, channels } = target.audio
  const layout = channels === 1 ? 'mono' : channels === 2 ? 'stereo' : `${channels}c`
  return `aformat=sample_rates=${sampleRate}:channel_layouts=${layout}`
}

/**
 * Runs ffmpeg with `args` (inputs and filters; the output is added) into a temporary file of
 * `format`, and streams the result into the asset store as audio with its duration.
 */
export async function renderAudio(
  ctx: NodeContext,
  job: { args: string[]; format: AudioFormat; encode?: EncodeOptions; durationMs: number | undefined; what: string },
): Promise<AssetRef> {
  const output = encodeArgs(job.format, job.encode)
  const spec = formatSpecs[job.format]
  return withTempDir(async (dir) => {
    const path = join(dir, `out.${spec.extension}`)
    await runFfmpeg(ctx, [...job.args, ...output, path], { durationMs: job.durationMs, what: job.what })
    const { ref } = await storeMediaFile(ctx, path, { mime: spec.mime, kind: 'audio' })
    return ref
  })
}
