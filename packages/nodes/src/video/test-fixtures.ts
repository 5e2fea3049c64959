// Helpers for the video node tests (not part of the node library).
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { AssetRef } from '@patchbay/core'
import { type MediaProbe, probeMedia } from '../support/ffmpeg/index.ts'
import type { TestContext } from '../testing/test-context.ts'
import { decodePixels } from '../testing/test-images.ts'

const run = promisify(execFile)

/** Stores fixture bytes as a video asset, as an upload would arrive. */
export function storeVideo(test: TestContext, bytes: Uint8Array, mime = 'video/mp4'): Promise<AssetRef> {
  return test.ctx.assets.put(bytes, { mime, kind: 'video' })
}

/** What ffprobe says about a stored asset. */
export async function probeAsset(test: TestContext, ref: AssetRef): Promise<MediaProbe> {
  return probeMedia(await test.ctx.assets.localPath(ref), `asset ${ref.assetId}`, test.ctx.signal)
}

/** The RGB pixels of a stored image. */
export async function pixelsOf(test: TestContext, ref: AssetRef) {
  return decodePixels(await test.ctx.assets.read(ref))
}

/** A 2 s, 64×48, 25 fps MP4: red for the first second, blue for the second. */
export async function redThenBlueVideo(): Promise<Uint8Array> {
  const graph = 'color=c=red:s=64x48:r=25:d=1[a];color=c=blue:s=64x48:r=25:d=1[b];[a][b]concat=n=2[out0]'
  return ffmpegFixture('red-blue.mp4', ['-f', 'lavfi', '-i', graph, '-c:v', 'libx264', '-preset', 'ultrafast'])
}

/** Runs ffmpeg writing `name` in a temporary directory and returns the file's bytes. */
export async function ffmpegFixture(name: string, args: string[]): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'patchbay-video-test-'))
  try {
    const out = join(dir, name)
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args, '-pix_fmt', 'yuv420p', out])
    return new Uint8Array(await readFile(out))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Processes (other than `ps` itself) whose command line mentions `text`. */
export async function processesMentioning(text: string): Promise<string[]> {
  const { stdout } = await run('ps', ['-eo', 'pid=,args='])
  return stdout.split('\n').filter((line) => line.includes(text) && !/\bps -eo\b/.test(line))
}

/** Seconds of a probe's duration, for tolerant comparisons. */
export function durationSeconds(probe: MediaProbe): number {
  return (probe.durationMs ?? Number.NaN) / 1000
}

/** The peak level, in dB, of a stored media file's audio between `from` and `to` seconds. */
export async function peakDb(test: TestContext, ref: AssetRef, from: number, to: number): Promise<number> {
  const path = await test.ctx.assets.localPath(ref)
  const args = [
    '-hide_banner',
    '-ss',
    String(from),
    '-to',
    String(to),
    '-i',
    path,
    '-map',
    '0:a',
    '-af',
    'volumedetect',
  ]
  const { stderr } = await run('ffmpeg', [...args, '-f', 'null', '-'])
  return Number(/max_volume: (-?[\d.]+|-inf) dB/.exec(stderr)?.[1]?.replace('-inf', '-Infinity') ?? Number.NaN)
}
