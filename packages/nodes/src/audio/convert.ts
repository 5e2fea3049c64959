import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { AUDIO_TIMEOUT_MS, openAudio, renderAudio } from './audio-media.ts'
import { audioFormats, checkEncodeOptions, formatSpecs, keepableFormat } from './formats.ts'

/**
 * `audio.convert`: re-encodes audio to another format, optionally at another bit rate,
 * sample rate or channel count: `mp3` (audio/mpeg, LAME), `wav` (audio/wav, 16-bit PCM),
 * `ogg` (audio/ogg, Vorbis), `opus` (audio/opus, Opus in Ogg), `flac` (audio/flac), `m4a`
 * (audio/mp4, AAC) or `aac` (audio/aac, ADTS). Without `bitrate`, lossy formats use 192k
 * (MP3, AAC), 128k (Opus) or Vorbis quality 5 (about 160k). Without `sampleRate` the input's
 * is kept when the format allows it, else ffmpeg picks the nearest it does (Opus is always
 * 8, 12, 16, 24 or 48 kHz). A conversion to the format the input already has, with no other
 * setting, returns the input as it is.
 *
 * Failures: `bitrate` for a lossless format (wav, flac) or outside the encoder's range, or a
 * `sampleRate` the format cannot hold (e.g. 44100 for opus), is `INVALID_PARAM`, before the
 * input is read; an input that is not audio `INVALID_INPUT`; unreadable audio
 * `INVALID_MEDIA`. Vorbis refuses some bit rates at unusual sample rates or channel counts,
 * which fails with ffmpeg's reason as `MEDIA_FAILED`. All final.
 */
export const audioConvert = defineNode({
  type: 'audio.convert',
  version: 1,
  category: 'audio',
  title: 'Convert audio',
  description: 'Changes the audio format, bit rate, sample rate or channel count.',
  inputs: { audio: { type: 'audio', required: true } },
  outputs: { audio: { type: 'audio' } },
  params: z.object({
    format: z.enum(audioFormats).describe('The format to write.'),
    bitrate: z
      .string()
      .regex(/^[1-9]\d{0,2}k$/, 'expected kilobits per second such as "192k"')
      .optional()
      .describe('Bit rate of lossy formats, such as "192k".'),
    sampleRate: z.number().int().min(8000).max(192000).optional().describe('Samples per second, e.g. 44100.'),
    channels: z
      .union([z.literal(1), z.literal(2)])
      .optional()
      .describe('1 for mono, 2 for stereo (default: as the input).'),
  }),
  timeoutMs: AUDIO_TIMEOUT_MS,
  async run({ inputs, params, ctx }) {
    const { format, bitrate, sampleRate, channels } = params
    checkEncodeOptions(format, { bitrate, sampleRate, channels })
    const input = await openAudio(ctx, inputs.audio, 'audio')
    const unchanged = bitrate === undefined && sampleRate === undefined && channels === undefined
    if (unchanged && keepableFormat(input.probe) === format && input.ref.mime === formatSpecs[format].mime) {
      return { audio: input.ref }
    }
    return {
      audio: await renderAudio(ctx, {
        args: ['-i', input.path, '-map', '0:a:0'],
        format,
        encode: { bitrate, sampleRate, channels },
        durationMs: input.probe.durationMs,
        what: `converting the audio to ${format}`,
      }),
    }
  },
})
