import { defineNode, NodeError } from '@patchbay/core'
import { z } from 'zod'
import { AUDIO_TIMEOUT_MS, inputArgs, matchFormatFilter, openAudio, renderAudio } from './audio-media.ts'
import { editFormat } from './formats.ts'

/**
 * `audio.concat`: plays the connected audio one after another, in edge order. Every clip is
 * resampled to the first one's sample rate and channel layout (mono is spread over both
 * stereo channels, stereo mixed down to mono), and the result takes the first one's format,
 * re-encoded as in `audio.trim`. A single clip is returned as it is.
 *
 * Failures: an input that is not audio is `INVALID_INPUT`; unreadable audio `INVALID_MEDIA`.
 */
export const audioConcat = defineNode({
  type: 'audio.concat',
  version: 1,
  category: 'audio',
  title: 'Concatenate audio',
  description: 'Joins audio clips end to end, in the order they are connected.',
  inputs: { audio: { type: 'audio', required: true, multiple: true } },
  outputs: { audio: { type: 'audio' } },
  params: z.object({}),
  timeoutMs: AUDIO_TIMEOUT_MS,
  async run({ inputs, ctx }) {
    const clips = await Promise.all(inputs.audio.map((value, index) => openAudio(ctx, value, `audio[${index}]`)))
    const [first] = clips
    if (!first) throw new NodeError('INVALID_INPUT', 'input "audio" needs at least one clip')
    if (clips.length === 1) return { audio: first.ref }
    const match = matchFormatFilter(first.probe)
    const prepared = clips.map((_, index) => `[${index}:a:0]${match}[a${index}]`)
    const joined = `${clips.map((_, index) => `[a${index}]`).join('')}concat=n=${clips.length}:v=0:a=1[out]`
    const durations = clips.map((clip) => clip.probe.durationMs)
    return {
      audio: await renderAudio(ctx, {
        args: [...inputArgs(clips), '-filter_complex', [...prepared, joined].join(';'), '-map', '[out]'],
        format: editFormat(first.probe),
        encode: { sourceCodec: first.probe.audio.codec },
        durationMs: durations.every((ms) => ms !== undefined) ? durations.reduce((sum, ms) => sum + ms, 0) : undefined,
        what: `joining ${clips.length} clips`,
      }),
    }
  },
})
