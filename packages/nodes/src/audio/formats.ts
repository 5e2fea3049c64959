import { NodeError } from '@patchbay/core'
import type { MediaProbe } from '../support/ffmpeg/index.ts'

/** The audio formats Patchbay writes (and keeps untouched when loading). */
export const audioFormats = ['mp3', 'wav', 'ogg', 'opus', 'flac', 'm4a', 'aac'] as const
export type AudioFormat = (typeof audioFormats)[number]

interface FormatSpec {
  mime: string
  extension: string
  /** ffmpeg's muxer (`-f`). */
  muxer: string
  /** ffmpeg's encoder (`-c:a`). */
  encoder: string
  /** The encoder's quality without a `bitrate` param; absent for lossless formats. */
  defaultQuality?: readonly string[]
  /** The bit rates the encoder accepts, in kb/s. */
  kbpsRange?: [number, number]
  /** The only sample rates the encoder accepts, when it is choosy. */
  sampleRates?: readonly number[]
  muxerArgs?: readonly string[]
}

const mp3SampleRates = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000]
const aacSampleRates = [7350, 8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000]

export const formatSpecs: Record<AudioFormat, FormatSpec> = {
  mp3: {
    mime: 'audio/mpeg',
    extension: 'mp3',
    muxer: 'mp3',
    encoder: 'libmp3lame',
    defaultQuality: ['-b:a', '192k'],
    kbpsRange: [8, 320],
    sampleRates: mp3SampleRates,
  },
  wav: { mime: 'audio/wav', extension: 'wav', muxer: 'wav', encoder: 'pcm_s16le' },
  ogg: {
    mime: 'audio/ogg',
    extension: 'ogg',
    muxer: 'ogg',
    encoder: 'libvorbis',
    // Vorbis at a fixed bit rate refuses many sample rate and channel combinations; quality 5 (≈160 kb/s) suits all.
    defaultQuality: ['-q:a', '5'],
    kbpsRange: [32, 500],
  },
  opus: {
    mime: 'audio/opus',
    extension: 'opus',
    muxer: 'ogg',
    encoder: 'libopus',
    defaultQuality: ['-b:a', '128k'],
    kbpsRange: [6, 510],
    sampleRates: [8000, 12000, 16000, 24000, 48000],
  },
  flac: { mime: 'audio/flac', extension: 'flac', muxer: 'flac', encoder: 'flac' },
  m4a: {
    mime: 'audio/mp4',
    extension: 'm4a',
    muxer: 'mp4',
    encoder: 'aac',
    defaultQuality: ['-b:a', '192k'],
    kbpsRange: [16, 512],
    sampleRates: aacSampleRates,
    // The index up front lets browsers start playing before the whole file has arrived.
    muxerArgs: ['-movflags', '+faststart'],
  },
  aac: {
    mime: 'audio/aac',
    extension: 'aac',
    muxer: 'adts',
    encoder: 'aac',
    defaultQuality: ['-b:a', '192k'],
    kbpsRange: [16, 512],
    sampleRates: aacSampleRates,
  },
}

/**
 * The format of a file that can be kept byte for byte: audio only, in a container and codec
 * that {@link formatSpecs} describes. Anything else (a video, FLAC inside Ogg, AIFF, WebM, …)
 * is undefined and must be remuxed or re-encoded.
 */
export function keepableFormat(probe: MediaProbe): AudioFormat | undefined {
  const codec = probe.audio?.codec
  if (!codec || probe.video) return undefined
  const containers = probe.format.split(',')
  if (containers.includes('wav')) return 'wav'
  if (containers.includes('mp3') && codec === 'mp3') return 'mp3'
  if (containers.includes('flac') && codec === 'flac') return 'flac'
  if (containers.includes('aac') && codec === 'aac') return 'aac'
  if (containers.includes('mp4') && codec === 'aac') return 'm4a'
  if (containers.includes('ogg') && codec === 'vorbis') return 'ogg'
  if (containers.includes('ogg') && codec === 'opus') return 'opus'
  return undefined
}

/** PCM layouts a WAV file holds as they are. */
const wavPcmCodecs = new Set(['pcm_u8', 'pcm_s16le', 'pcm_s24le', 'pcm_s32le', 'pcm_f32le', 'pcm_f64le'])

/**
 * Where an audio stream of `codec` goes without re-encoding, or `flac` (decoded and
 * re-encoded, still lossless) when no format here can hold it as it is.
 */
export function losslessTarget(codec: string): { format: AudioFormat; copy: boolean } {
  const copyInto: Record<string, AudioFormat> = { aac: 'm4a', mp3: 'mp3', opus: 'opus', vorbis: 'ogg', flac: 'flac' }
  const format = copyInto[codec] ?? (wavPcmCodecs.has(codec) ? 'wav' : undefined)
  return format ? { format, copy: true } : { format: 'flac', copy: false }
}

/** The format results of editing nodes (trim, concat, mix) take: the input's own, else lossless FLAC. */
export function editFormat(probe: MediaProbe): AudioFormat {
  return keepableFormat(probe) ?? 'flac'
}

export interface EncodeOptions {
  /** Copies the source's stream as it is, which must already be in the format's codec (see {@link losslessTarget}). */
  copy?: boolean
  /** e.g. `192k`; lossy formats only. */
  bitrate?: string
  sampleRate?: number
  channels?: number
  /** The source's codec: a WAV of 24-bit or float PCM stays that way rather than dropping to 16 bits. */
  sourceCodec?: string
}

/**
 * ffmpeg output arguments (before the output path) that encode to `format`; settings the
 * encoder cannot honour are `INVALID_PARAM` (see {@link checkEncodeOptions}).
 */
export function encodeArgs(format: AudioFormat, options: EncodeOptions = {}): string[] {
  const spec = formatSpecs[format]
  const container = [...(spec.muxerArgs ?? []), '-f', spec.muxer]
  if (options.copy) return ['-c:a', 'copy', ...container]
  checkEncodeOptions(format, options)
  const encoder =
    format === 'wav' && options.sourceCodec && wavPcmCodecs.has(options.sourceCodec)
      ? options.sourceCodec
      : spec.encoder
  const args = ['-c:a', encoder]
  if (options.bitrate === undefined) args.push(...(spec.defaultQuality ?? []))
  else args.push('-b:a', options.bitrate)
  if (options.sampleRate !== undefined) args.push('-ar', String(options.sampleRate))
  if (options.channels !== undefined) args.push('-ac', String(options.channels))
  return [...args, ...container]
}

/**
 * Throws `INVALID_PARAM` for a bit rate on a lossless format or outside the encoder's range,
 * or a sample rate the encoder cannot write.
 */
export function checkEncodeOptions(format: AudioFormat, options: EncodeOptions): void {
  const { kbpsRange, sampleRates } = formatSpecs[format]
  if (options.bitrate !== undefined) {
    if (!kbpsRange) {
      throw new NodeError('INVALID_PARAM', `bitrate does not apply to ${format}, which is lossless; leave it out`)
    }
    const kbps = Number(options.bitrate.replace(/k$/, ''))
    if (!Number.isInteger(kbps) || kbps < kbpsRange[0] || kbps > kbpsRange[1]) {
      throw new NodeError(
        'INVALID_PARAM',
        `bitrate for ${format} must be ${kbpsRange[0]}k to ${kbpsRange[1]}k, got "${options.bitrate}"`,
      )
    }
  }
  if (options.sampleRate !== undefined && sampleRates && !sampleRates.includes(options.sampleRate)) {
    throw new NodeError(
      'INVALID_PARAM',
      `${format} cannot be encoded at ${options.sampleRate} Hz; choose one of ${sampleRates.join(', ')}`,
    )
  }
}
