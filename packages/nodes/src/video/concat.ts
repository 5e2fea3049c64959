import { defineNode, NodeError } from '@patchbay/core'
import { z } from 'zod'
import { encodeMp4, even, seconds, VIDEO_TIMEOUT_MS } from './encode.ts'
import { scaleFilter } from './resize.ts'
import { type OpenedVideo, openVideo } from './video-input.ts'

/** Frame rate used when the first clip does not state one, and the most it may be. */
const FALLBACK_FPS = 25
const MAX_FPS = 120
/** Every audio track is brought to this format so the segments can be joined. */
const AUDIO_FORMAT = 'aformat=sample_rates=48000:channel_layouts=stereo'

/**
 * `video.concat`: plays the connected clips one after another, in edge order. Every clip is
 * brought to the first clip's size (scaled to fit, padded with black) and frame rate.
 *
 * Audio: when at least one clip has sound, the result has an audio track and clips without
 * sound contribute silence for their length, so sound stays in sync with its pictures; when
 * no clip has sound, neither has the result.
 */
export const videoConcat = defineNode({
  type: 'video.concat',
  version: 1,
  category: 'video',
  title: 'Concatenate videos',
  description: 'Joins videos one after another, in edge order.',
  timeoutMs: VIDEO_TIMEOUT_MS,
  inputs: { videos: { type: 'video', multiple: true, required: true } },
  outputs: { video: { type: 'video' } },
  params: z.object({}),
  async run({ inputs, ctx }) {
    if (inputs.videos.length === 0) throw new NodeError('INVALID_INPUT', 'input "videos" has no clips')
    const clips: OpenedVideo[] = []
    for (const [index, value] of inputs.videos.entries()) clips.push(await openVideo(ctx, value, `videos[${index}]`))
    const graph = concatGraph(clips)
    const args = [...clips.flatMap((clip) => ['-i', clip.path]), '-filter_complex', graph.filter, '-map', '[v]']
    if (graph.audio) args.push('-map', '[a]')
    const total = clips.reduce((sum, clip) => sum + (clip.durationMs ?? 0), 0)
    const out = await encodeMp4(ctx, args, { audio: graph.audio, durationMs: total, what: 'joining the videos' })
    return { video: out }
  },
})

/** The filter graph: each clip normalised to one size, rate and audio format, then joined. */
export function concatGraph(clips: OpenedVideo[]): { filter: string; audio: boolean } {
  const [first] = clips
  if (!first) throw new Error('concatGraph needs at least one clip')
  const size = { width: even(first.width), height: even(first.height) }
  const fps = Math.min(first.fps ?? FALLBACK_FPS, MAX_FPS)
  const audio = clips.some((clip) => clip.hasAudio)
  const parts: string[] = []
  const segments: string[] = []
  clips.forEach((clip, i) => {
    parts.push(`[${i}:v:0]${scaleFilter(size, 'contain')},fps=${fps},format=yuv420p,setpts=PTS-STARTPTS[v${i}]`)
    segments.push(`[v${i}]`)
    if (!audio) return
    // A segment lasts as long as its longest stream, and decoded AAC runs a few ms over the
    // video, so audio is cut to the clip's length (else each join adds a frame). When the length
    // is unknown, a moment of silence will do: concat pads short audio (in all but the last clip).
    const length = seconds((clip.durationMs ?? 100) / 1000)
    parts.push(
      clip.hasAudio
        ? `[${i}:a:0]${AUDIO_FORMAT},asetpts=PTS-STARTPTS${clip.durationMs === undefined ? '' : `,atrim=duration=${length}`}[a${i}]`
        : `anullsrc=r=48000:cl=stereo:d=${length}[a${i}]`,
    )
    segments.push(`[a${i}]`)
  })
  parts.push(`${segments.join('')}concat=n=${clips.length}:v=1:a=${audio ? 1 : 0}[v]${audio ? '[a]' : ''}`)
  return { filter: parts.join(';'), audio }
}
