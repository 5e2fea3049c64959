import { createReadStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type AssetRef, type NodeContext, NodeError } from '@patchbay/core'
import { throwIfAborted } from '../abort.ts'
import { type MediaProbe, probeMedia } from './probe.ts'

/** Runs `work` with a fresh temporary directory that is removed afterwards, whatever happens. */
export async function withTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'patchbay-media-'))
  try {
    return await work(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * Probes a file a tool wrote and streams it into the asset store (never whole into memory),
 * with its duration and dimensions on the reference.
 */
export async function storeMediaFile(
  ctx: NodeContext,
  path: string,
  meta: { mime: string; kind: 'video' | 'audio' | 'image' },
): Promise<{ ref: AssetRef; probe: MediaProbe }> {
  throwIfAborted(ctx.signal)
  const probe = await probeMedia(path, 'the result', ctx.signal)
  const ref = await ctx.assets.put(createReadStream(path), {
    mime: meta.mime,
    kind: meta.kind,
    ...(probe.video && meta.kind !== 'audio' ? { width: probe.video.width, height: probe.video.height } : {}),
    ...(probe.durationMs !== undefined && meta.kind !== 'image' ? { durationMs: probe.durationMs } : {}),
  })
  return { ref, probe }
}

/** A stored input as a local file plus what ffprobe says of it (INVALID_MEDIA when unreadable). */
export async function openMedia(
  ctx: NodeContext,
  ref: AssetRef,
  input: string,
): Promise<{ path: string; probe: MediaProbe }> {
  const path = await ctx.assets.localPath(ref)
  return { path, probe: await probeMedia(path, `input "${input}"`, ctx.signal) }
}

/**
 * Parses a time given in seconds or as a percentage of `durationMs` (`"50%"`), and checks it
 * lies within the media: a timestamp past the end is `INVALID_PARAM`, final.
 */
export function timeWithin(value: number | string, durationMs: number | undefined, param: string): number {
  let seconds: number
  if (typeof value === 'string' && value.trim().endsWith('%')) {
    const percent = Number(value.trim().slice(0, -1))
    if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
      throw new NodeError('INVALID_PARAM', `${param} "${value}" must be a percentage from 0% to 100%`)
    }
    if (durationMs === undefined)
      throw new NodeError('INVALID_PARAM', `${param} is a percentage but the media has no known duration`)
    seconds = (percent / 100) * (durationMs / 1000)
  } else {
    seconds = Number(value)
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new NodeError('INVALID_PARAM', `${param} must be a number of seconds ≥ 0 or a percentage, got "${value}"`)
    }
  }
  if (durationMs !== undefined && seconds * 1000 > durationMs) {
    throw new NodeError(
      'INVALID_PARAM',
      `${param} ${seconds.toFixed(3)} s is past the end of the media (${(durationMs / 1000).toFixed(3)} s long)`,
    )
  }
  return seconds
}
