import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ffmpegSuiteEnabled, videoFixture } from '../testing/media-fixtures.ts'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { durationSeconds, probeAsset, storeVideo } from './test-fixtures.ts'
import { videoTrim } from './trim.ts'

/** One frame at 25 fps, plus AAC's priming slack. */
const TOLERANCE_S = 0.05

describe.skipIf(!(await ffmpegSuiteEnabled('video.trim')))('video.trim', () => {
  let clip: Uint8Array
  let test: TestContext

  beforeAll(async () => {
    clip = await videoFixture({ seconds: 2, width: 160, height: 120, audio: true })
  })

  afterEach(async () => {
    await test.dispose()
  })

  it('keeps 0.5–1.5 s of a 2 s clip: 1 s of H.264 + AAC with progress', async () => {
    test = createTestContext()
    const video = await storeVideo(test, clip)
    const { video: out } = await runNode(videoTrim, { params: { start: 0.5, end: 1.5 }, inputs: { video } }, test)
    expect(out).toMatchObject({ kind: 'video', mime: 'video/mp4', width: 160, height: 120 })
    expect(Math.abs((out?.durationMs ?? 0) / 1000 - 1)).toBeLessThanOrEqual(TOLERANCE_S)
    const probe = await probeAsset(test, out!)
    expect(Math.abs(durationSeconds(probe) - 1)).toBeLessThanOrEqual(TOLERANCE_S)
    expect(probe.video).toMatchObject({ codec: 'h264', width: 160, height: 120 })
    expect(probe.video?.frames).toBe(25)
    expect(probe.audio?.codec).toBe('aac')
    expect(test.progress.length).toBeGreaterThan(0)
    expect(test.progress.at(-1)?.fraction).toBeCloseTo(1, 1)
  })

  it('defaults end to the end of the video', async () => {
    test = createTestContext()
    const video = await storeVideo(test, clip)
    const { video: out } = await runNode(videoTrim, { params: { start: 1.5 }, inputs: { video } }, test)
    expect(Math.abs(durationSeconds(await probeAsset(test, out!)) - 0.5)).toBeLessThanOrEqual(TOLERANCE_S)
  })

  it.each([
    [{ start: 1, end: 1 }, 'end (1 s) must be after start (1 s)'],
    [{ start: 1.5, end: 0.5 }, 'end (0.5 s) must be after start (1.5 s)'],
    [{ start: 0, end: 3 }, 'end 3.000 s is past the end of the media (2.000 s long)'],
    [{ start: 2.5 }, 'start 2.500 s is past the end'],
  ])('fails with INVALID_PARAM for %j', async (params, message) => {
    test = createTestContext()
    const video = await storeVideo(test, clip)
    const run = runNode(videoTrim, { params, inputs: { video } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_PARAM', retryable: false })
    await expect(run).rejects.toThrow(message)
  })
})
