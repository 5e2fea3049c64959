import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AssetRef } from '@patchbay/core'
import { afterAll } from 'vitest'
import { ffmpegBinary, type MediaProbe, probeMedia, runTool, withTempDir } from '../support/ffmpeg/index.ts'
import { createTestContext, type TestContext, type TestContextOptions } from '../testing/test-context.ts'

/**
 * Makes test contexts for suites whose tests run concurrently, disposing all of them after the
 * suite. Call it in a `describe`. (Most of a short ffmpeg job is process start-up on one core,
 * so running them side by side uses the others.)
 */
export function contextPool(): (options?: TestContextOptions) => TestContext {
  const made: TestContext[] = []
  afterAll(async () => {
    await Promise.all(made.map((test) => test.dispose()))
  })
  return (options) => {
    const test = createTestContext(options)
    made.push(test)
    return test
  }
}

/** Stores fixture bytes as an asset of `kind`, as an upstream node would have. */
export function putMedia(
  test: TestContext,
  bytes: Uint8Array,
  mime = 'audio/wav',
  kind: AssetRef['kind'] = 'audio',
): Promise<AssetRef> {
  return test.ctx.assets.put(bytes, { mime, kind })
}

/** What ffprobe finds in a stored asset, to check a result for real. */
export async function probeAsset(test: TestContext, ref: AssetRef | undefined): Promise<MediaProbe> {
  if (!ref) throw new Error('the node returned no asset')
  return probeMedia(await test.ctx.assets.localPath(ref), 'the result', test.ctx.signal)
}

/** The loudest sample of a stored asset in dBFS, by ffmpeg's volumedetect. */
export async function peakDb(test: TestContext, ref: AssetRef | undefined): Promise<number> {
  if (!ref) throw new Error('the node returned no asset')
  const path = await test.ctx.assets.localPath(ref)
  const { stderr } = await runTool(
    ffmpegBinary,
    ['-hide_banner', '-nostdin', '-i', path, '-af', 'volumedetect', '-f', 'null', '-'],
    { signal: test.ctx.signal, what: 'measuring the volume' },
  )
  const match = /max_volume: (-?[\d.]+) dB/.exec(stderr)
  if (!match?.[1]) throw new Error(`volumedetect printed no max_volume:\n${stderr}`)
  return Number(match[1])
}

/**
 * A sine tone written by ffmpeg as `file` (the extension picks the container) with extra
 * output `args`, for formats `audioFixture` does not make (its `opus` comes out as Vorbis).
 */
export function toneFile(file: string, seconds: number, args: string[] = []): Promise<Uint8Array> {
  return withTempDir(async (dir) => {
    const path = join(dir, file)
    const source = `sine=frequency=440:sample_rate=44100:duration=${seconds}`
    await runTool(ffmpegBinary, ['-loglevel', 'error', '-f', 'lavfi', '-i', source, ...args, path], {
      signal: new AbortController().signal,
      what: `making ${file}`,
    })
    return new Uint8Array(await readFile(path))
  })
}
