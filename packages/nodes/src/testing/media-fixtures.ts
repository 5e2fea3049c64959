import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { skipSuite } from '@patchbay/core/testing'

const run = promisify(execFile)
const ffmpeg = process.env.PATCHBAY_FFMPEG ?? 'ffmpeg'

let available: Promise<boolean> | undefined

/**
 * Decides whether a suite that needs ffmpeg runs. Without ffmpeg on PATH the suite is skipped
 * with a message saying so, or, with `PATCHBAY_TEST_REQUIRE_ALL=1` (CI), this throws so the
 * test file fails instead of passing silently.
 *
 * @example
 * const withFfmpeg = await ffmpegSuiteEnabled('video nodes')
 * describe.skipIf(!withFfmpeg)('video nodes', () => { ... })
 */
export async function ffmpegSuiteEnabled(suite: string): Promise<boolean> {
  available ??= run(ffmpeg, ['-version']).then(
    () => true,
    () => false,
  )
  if (await available) return true
  return skipSuite(suite, 'ffmpeg is not installed', 'Install it (apt-get install ffmpeg)')
}

/** Runs ffmpeg to make a fixture file in a fresh temporary directory; returns its bytes. */
async function makeWithFfmpeg(name: string, args: string[]): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'patchbay-fixture-'))
  try {
    const out = join(dir, name)
    await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...args, out])
    return new Uint8Array(await readFile(out))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

export interface VideoFixture {
  seconds?: number
  width?: number
  height?: number
  fps?: number
  /** Adds a 440 Hz tone as an audio track. */
  audio?: boolean
  /** A solid colour instead of the moving test pattern, e.g. `red`, so frames can be checked by pixel. */
  color?: string
}

/** An H.264 MP4 from ffmpeg's test sources (testsrc pattern or a solid colour). */
export function videoFixture(options: VideoFixture = {}): Promise<Uint8Array> {
  const { seconds = 2, width = 320, height = 240, fps = 25, audio = false, color } = options
  const source = color
    ? `color=c=${color}:s=${width}x${height}:r=${fps}:d=${seconds}`
    : `testsrc=s=${width}x${height}:r=${fps}:d=${seconds}`
  const args = ['-f', 'lavfi', '-i', source]
  if (audio) args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${seconds}`)
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p')
  if (audio) args.push('-c:a', 'aac', '-shortest')
  return makeWithFfmpeg('fixture.mp4', args)
}

export interface AudioFixture {
  seconds?: number
  frequency?: number
  sampleRate?: number
  /** `wav` (default), `mp3`, `ogg`/`opus` or `m4a`. */
  format?: 'wav' | 'mp3' | 'opus' | 'm4a'
}

/** A sine tone in the given container. */
export function audioFixture(options: AudioFixture = {}): Promise<Uint8Array> {
  const { seconds = 1, frequency = 440, sampleRate = 44100, format = 'wav' } = options
  const source = `sine=frequency=${frequency}:sample_rate=${sampleRate}:duration=${seconds}`
  const extension = format === 'opus' ? 'ogg' : format
  const codec = format === 'opus' ? ['-c:a', 'libopus'] : []
  return makeWithFfmpeg(`fixture.${extension}`, ['-f', 'lavfi', '-i', source, ...codec])
}
