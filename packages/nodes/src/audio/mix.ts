import { defineNode, NodeError } from '@patchbay/core'
import { z } from 'zod'
import { AUDIO_TIMEOUT_MS, inputArgs, matchFormatFilter, openAudio, renderAudio } from './audio-media.ts'
import { editFormat } from './formats.ts'

/**
 * `audio.mix`: plays the connected audio at the same time, all starting at 0, each resampled
 * to the first one's sample rate and channel layout; the result takes the first one's format
 * (re-encoded, as in `audio.trim`).
 *
 * Each input is multiplied by its entry in `volumes` (default 1) and the inputs are summed:
 * loud inputs can clip. With `normalize` the volumes are first divided by their total, so the
 * mix stays within range at the cost of loudness (two inputs at volume 1 play at half each).
 * That scale stays the same for the whole mix. (ffmpeg's own amix normalisation, which is on
 * by default, is always turned off: it raises the remaining inputs whenever one ends.)
 *
 * `duration` decides the length: the `longest` input (shorter ones fall silent), the
 * `shortest`, or the `first` connected.
 *
 * Failures: `volumes` with a different count than the connected inputs is `INVALID_PARAM`;
 * an input that is not audio `INVALID_INPUT`; unreadable audio `INVALID_MEDIA`.
 */
export const audioMix = defineNode({
  type: 'audio.mix',
  version: 1,
  category: 'audio',
  title: 'Mix audio',
  description: 'Layers audio clips on top of each other, e.g. a voice over music.',
  inputs: { audio: { type: 'audio', required: true, multiple: true } },
  outputs: { audio: { type: 'audio' } },
  params: z.object({
    volumes: z
      .array(z.number().min(0).max(10))
      .optional()
      .describe('A volume per input in edge order, 1 = unchanged, 0.5 ≈ −6 dB (default: 1 each).'),
    duration: z
      .enum(['longest', 'shortest', 'first'])
      .default('longest')
      .describe('Whether the mix lasts as long as the longest input, the shortest, or the first.'),
    normalize: z
      .boolean()
      .default(false)
      .describe('Divides the volumes by their total so the mix cannot clip (quieter overall).'),
  }),
  timeoutMs: AUDIO_TIMEOUT_MS,
  async run({ inputs, params, ctx }) {
    const { volumes = inputs.audio.map(() => 1), duration, normalize } = params
    if (volumes.length !== inputs.audio.length) {
      throw new NodeError(
        'INVALID_PARAM',
        `volumes has ${volumes.length} entries but ${inputs.audio.length} inputs are connected; give one per input`,
      )
    }
    const clips = await Promise.all(inputs.audio.map((value, index) => openAudio(ctx, value, `audio[${index}]`)))
    const [first] = clips
    if (!first) throw new NodeError('INVALID_INPUT', 'input "audio" needs at least one clip')
    const total = volumes.reduce((sum, volume) => sum + volume, 0)
    const gains = normalize && total > 0 ? volumes.map((volume) => volume / total) : volumes
    const match = matchFormatFilter(first.probe)
    const prepared = clips.map((_, index) => `[${index}:a:0]${match},volume=${gains[index]}[a${index}]`)
    const mixed = `${clips.map((_, index) => `[a${index}]`).join('')}amix=inputs=${clips.length}:duration=${duration}:normalize=0[out]`
    return {
      audio: await renderAudio(ctx, {
        args: [...inputArgs(clips), '-filter_complex', [...prepared, mixed].join(';'), '-map', '[out]'],
        format: editFormat(first.probe),
        encode: { sourceCodec: first.probe.audio.codec },
        durationMs: mixDuration(
          clips.map((clip) => clip.probe.durationMs),
          duration,
        ),
        what: `mixing ${clips.length} clips`,
      }),
    }
  },
})

/** How long the mix will be, for progress; undefined when an input's length is unknown. */
function mixDuration(durations: (number | undefined)[], rule: 'longest' | 'shortest' | 'first'): number | undefined {
  if (rule === 'first') return durations[0]
  if (durations.some((ms) => ms === undefined)) return undefined
  const known = durations as number[]
  return rule === 'longest' ? Math.max(...known) : Math.min(...known)
}
