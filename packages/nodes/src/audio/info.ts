import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { openAudio } from './audio-media.ts'
import { keepableFormat } from './formats.ts'

/** What `audio.info` reports. */
export interface AudioInfo {
  /** Null when the file does not say (rare: some raw streams). */
  durationMs: number | null
  /** ffmpeg's codec name, e.g. `mp3`, `aac`, `pcm_s16le`. */
  codec: string
  sampleRate: number
  channels: number
  /** Bits per second, when known. */
  bitRate?: number
  /** `mp3`, `wav`, `ogg`, `opus`, `flac`, `m4a` or `aac`; for other containers, ffmpeg's name. */
  format: string
  bytes: number
  mime: string
}

/**
 * `audio.info`: describes audio — length, codec, sample rate, channels, bit rate, format, size
 * and MIME type — as `info` (json), plus `durationSeconds` for wiring into number inputs
 * (left out, so inactive, when the length is unknown).
 *
 * Failures: an input that is not audio is `INVALID_INPUT`; unreadable audio `INVALID_MEDIA`.
 */
export const audioInfo = defineNode({
  type: 'audio.info',
  version: 1,
  category: 'audio',
  title: 'Audio info',
  description: 'Reports the length, codec, sample rate and channels of audio.',
  inputs: { audio: { type: 'audio', required: true } },
  outputs: { info: { type: 'json' }, durationSeconds: { type: 'number' } },
  params: z.object({}),
  timeoutMs: 60_000,
  async run({ inputs, ctx }) {
    const { ref, probe } = await openAudio(ctx, inputs.audio, 'audio')
    const { codec, sampleRate, channels, bitRate } = probe.audio
    const info: AudioInfo = {
      durationMs: probe.durationMs ?? null,
      codec,
      sampleRate,
      channels,
      ...(bitRate === undefined ? {} : { bitRate }),
      format: keepableFormat(probe) ?? probe.format,
      bytes: ref.bytes,
      mime: ref.mime,
    }
    return {
      info,
      ...(probe.durationMs === undefined ? {} : { durationSeconds: probe.durationMs / 1000 }),
    }
  },
})
