import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import { type AssetRef, defineNode, type NodeContext } from '@patchbay/core'
import { displayUrl } from '../support/download.ts'
import { downloadToFile } from '../support/download-to-file.ts'
import { probeMedia, withTempDir } from '../support/ffmpeg/index.ts'
import { cacheableSource, fileNameOf, mediaSourceParams } from '../support/media-source.ts'
import { AUDIO_TIMEOUT_MS, type AudioProbe, renderAudio, requireAudioStream } from './audio-media.ts'
import { formatSpecs, keepableFormat, losslessTarget } from './formats.ts'

/** Larger downloads are refused; they are streamed to disk, so this guards the disk, not memory. */
const MAX_DOWNLOAD_BYTES = 1024 * 1024 * 1024

/**
 * `audio.load`: brings audio into the workflow from a local file (through `ctx.localFile`, so
 * the operator's file roots apply), an http(s) URL (through `ctx.fetch`, streamed to disk,
 * at most 1 GB) or an asset already stored. Nothing is read whole into memory.
 *
 * An audio-only MP3, WAV, Ogg Vorbis, Ogg Opus, FLAC, M4A (AAC) or ADTS AAC file is kept
 * byte for byte with its MIME type. Anything else holding audio — a video (MP4, WebM, MOV…)
 * or another container (AIFF, Matroska…) — yields its first audio stream, copied without
 * re-encoding into the matching format (AAC → M4A, MP3, Opus, Vorbis → Ogg, FLAC,
 * little-endian PCM → WAV) or, when no such format fits the codec, re-encoded to lossless FLAC.
 *
 * Failures: a file with no audio stream (a picture, a silent video) or that is not media at
 * all (truncated, text, empty) is `INVALID_MEDIA`; a missing file `FILE_NOT_FOUND`, one
 * outside the allowed roots `FILE_ACCESS_DENIED`, an unknown asset `ASSET_NOT_FOUND`; a
 * download over the limit `TOO_LARGE`, HTTP and network failures as in `download`. All final
 * except `FETCH_FAILED` and HTTP 408/425/429/5xx.
 */
export const audioLoad = defineNode({
  type: 'audio.load',
  version: 1,
  category: 'audio',
  title: 'Load audio',
  description: 'Loads audio from a file path, a URL or a stored asset (the sound of a video too).',
  inputs: {},
  outputs: { audio: { type: 'audio' } },
  params: mediaSourceParams,
  cacheable: cacheableSource,
  timeoutMs: AUDIO_TIMEOUT_MS,
  async run({ params, ctx }) {
    const audio =
      params.assetId !== undefined
        ? await fromAsset(ctx, params.assetId)
        : params.url !== undefined
          ? await fromUrl(ctx, params.url)
          : await fromPath(ctx, params.path ?? '')
    return { audio }
  },
})

async function fromAsset(ctx: NodeContext, assetId: string): Promise<AssetRef> {
  const stored = await ctx.assets.get(assetId)
  const path = await ctx.assets.localPath(stored)
  return loadAudioFile(ctx, path, { source: `asset ${assetId}`, stored })
}

async function fromUrl(ctx: NodeContext, url: string): Promise<AssetRef> {
  const source = displayUrl(url)
  return withTempDir(async (dir) => {
    const path = join(dir, 'download')
    await downloadToFile(ctx, url, path, MAX_DOWNLOAD_BYTES)
    return loadAudioFile(ctx, path, { source, name: fileNameOf(new URL(url).pathname) })
  })
}

async function fromPath(ctx: NodeContext, path: string): Promise<AssetRef> {
  const file = await ctx.localFile(path)
  return loadAudioFile(ctx, file, { source: `file ${path}`, name: fileNameOf(path) })
}

interface LoadSource {
  /** How error messages name the file. */
  source: string
  /** File name kept with the asset for downloads. */
  name?: string | undefined
  /** The asset the file came from, returned as it is when it needs no change. */
  stored?: AssetRef
}

async function loadAudioFile(ctx: NodeContext, path: string, from: LoadSource): Promise<AssetRef> {
  const probe = requireAudioStream(await probeMedia(path, from.source, ctx.signal), from.source)
  const kept = keepableFormat(probe)
  if (!kept) return extractAudio(ctx, path, probe)
  const { mime } = formatSpecs[kept]
  const { stored } = from
  if (stored?.kind === 'audio' && stored.mime === mime && stored.durationMs !== undefined) return stored
  return ctx.assets.put(createReadStream(path), {
    mime,
    kind: 'audio',
    ...(probe.durationMs === undefined ? {} : { durationMs: probe.durationMs }),
    ...(from.name ? { name: from.name } : {}),
  })
}

function extractAudio(ctx: NodeContext, path: string, probe: AudioProbe): Promise<AssetRef> {
  const { format, copy } = losslessTarget(probe.audio.codec)
  return renderAudio(ctx, {
    args: ['-i', path, '-map', '0:a:0'],
    format,
    encode: { copy },
    durationMs: probe.durationMs,
    what: copy ? 'extracting the audio' : 'converting the audio to FLAC',
  })
}
