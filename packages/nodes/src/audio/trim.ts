import { defineNode, NodeError } from '@patchbay/core'
import { z } from 'zod'
import { timeWithin } from '../support/ffmpeg/index.ts'
import { AUDIO_TIMEOUT_MS, openAudio, renderAudio } from './audio-media.ts'
import { editFormat } from './formats.ts'

/**
 * `audio.trim`: keeps the part of the audio from `start` to `end` (seconds; `end` left out
 * means to the end), cut to the sample. The result is re-encoded in the input's format, lossy
 * ones at `audio.convert`'s default quality, or in FLAC when the input's format is not one
 * Patchbay writes. Trimming nothing (`start` 0, no `end`) returns the input as it is.
 *
 * Failures: `start` or `end` past the end of the audio, or `end` not after `start`, is
 * `INVALID_PARAM`; an input that is not audio `INVALID_INPUT`; unreadable audio `INVALID_MEDIA`.
 */
export const audioTrim = defineNode({
  type: 'audio.trim',
  version: 1,
  category: 'audio',
  title: 'Trim audio',
  description: 'Keeps the audio between two points in time.',
  inputs: { audio: { type: 'audio', required: true } },
  outputs: { audio: { type: 'audio' } },
  params: z.object({
    start: z.number().min(0).default(0).describe('Where the kept part begins, in seconds.'),
    end: z.number().min(0).optional().describe('Where the kept part ends, in seconds (default: the end).'),
  }),
  timeoutMs: AUDIO_TIMEOUT_MS,
  async run({ inputs, params, ctx }) {
    const input = await openAudio(ctx, inputs.audio, 'audio')
    const { durationMs } = input.probe
    const start = timeWithin(params.start, durationMs, 'start')
    const end = params.end === undefined ? undefined : timeWithin(params.end, durationMs, 'end')
    if (end === undefined && start === 0) return { audio: input.ref }
    const stop = end ?? (durationMs === undefined ? undefined : durationMs / 1000)
    if (stop !== undefined && stop <= start) {
      throw new NodeError(
        'INVALID_PARAM',
        end === undefined
          ? `start ${start} s leaves nothing: the audio is ${stop} s long`
          : `end (${end} s) must be after start (${start} s)`,
      )
    }
    const keptSeconds = stop === undefined ? undefined : stop - start
    const length = end === undefined ? [] : ['-t', String(end - start)]
    return {
      audio: await renderAudio(ctx, {
        // -ss before -i seeks the input and, for audio, still cuts at the exact sample.
        args: ['-ss', String(start), '-i', input.path, '-map', '0:a:0', ...length],
        format: editFormat(input.probe),
        encode: { sourceCodec: input.probe.audio.codec },
        durationMs: keptSeconds === undefined ? undefined : keptSeconds * 1000,
        what: 'trimming the audio',
      }),
    }
  },
})
