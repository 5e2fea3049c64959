import { defineNode, NodeError } from '@patchbay/core'
import { z } from 'zod'
import { openMedia } from '../support/ffmpeg/index.ts'
import { requireMedia } from '../support/media-input.ts'
import { encodeMp4, seconds, VIDEO_TIMEOUT_MS } from './encode.ts'
import { openVideo } from './video-input.ts'

const AUDIO_FORMAT = 'aformat=sample_rates=48000:channel_layouts=stereo'

/**
 * `video.addAudio`: puts a sound track on a video. The result is exactly as long as the
 * video: longer audio is cut, shorter audio ends in silence, or with `loop` repeats until
 * the video ends. `mode: 'replace'` (default) drops the video's own sound; `'mix'` plays both
 * (at their own levels, so loud tracks can clip; lower `volume` then). A video without sound
 * simply gets the new track in either mode. H.264 video is copied untouched; other codecs are
 * re-encoded to H.264.
 */
export const videoAddAudio = defineNode({
  type: 'video.addAudio',
  version: 1,
  category: 'video',
  title: 'Add audio',
  description: 'Replaces or mixes in a video’s sound track.',
  timeoutMs: VIDEO_TIMEOUT_MS,
  inputs: { video: { type: 'video', required: true }, audio: { type: 'audio', required: true } },
  outputs: { video: { type: 'video' } },
  params: z.object({
    mode: z.enum(['replace', 'mix']).default('replace').describe('Replace the video’s sound, or mix with it.'),
    loop: z.boolean().default(false).describe('Repeat the audio until the video ends.'),
    volume: z.number().min(0).max(4).default(1).describe('Volume of the added audio (1 = unchanged).'),
  }),
  async run({ inputs, params, ctx }) {
    const video = await openVideo(ctx, inputs.video)
    const audioRef = requireMedia(inputs.audio, 'audio', 'audio')
    const audio = await openMedia(ctx, audioRef, 'audio')
    if (!audio.probe.audio) throw new NodeError('INVALID_MEDIA', 'input "audio" has no audio stream')
    const added = `[1:a:0]volume=${params.volume},${AUDIO_FORMAT},apad[added]`
    const filter =
      params.mode === 'mix' && video.hasAudio
        ? `${added};[0:a:0]${AUDIO_FORMAT}[own];[own][added]amix=inputs=2:duration=longest:normalize=0[a]`
        : added.replace('[added]', '[a]')
    const args = ['-i', video.path, ...(params.loop ? ['-stream_loop', '-1'] : []), '-i', audio.path]
    args.push('-filter_complex', filter, '-map', '0:v:0', '-map', '[a]')
    // The padded (or looped) audio never ends by itself; the video's length decides.
    if (video.durationMs !== undefined) args.push('-t', seconds(video.durationMs / 1000))
    else args.push('-shortest')
    const out = await encodeMp4(ctx, args, {
      audio: true,
      copyVideo: video.probe.video?.codec === 'h264',
      durationMs: video.durationMs,
      what: 'adding audio',
    })
    return { video: out }
  },
})
