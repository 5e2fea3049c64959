import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { audioFixture, ffmpegSuiteEnabled, videoFixture } from '../testing/media-fixtures.ts'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { isColour } from '../testing/test-images.ts'
import { videoExtractFrame } from './extract-frame.ts'
import { ffmpegFixture, pixelsOf, redThenBlueVideo, storeVideo } from './test-fixtures.ts'

describe.skipIf(!(await ffmpegSuiteEnabled('video.extractFrame')))('video.extractFrame', () => {
  let redBlue: Uint8Array
  let test: TestContext

  beforeAll(async () => {
    redBlue = await redThenBlueVideo()
  })

  afterEach(async () => {
    await test.dispose()
  })

  async function colourAt(timestamp: number | string): Promise<'red' | 'blue' | 'other'> {
    const video = await storeVideo(test, redBlue)
    const { image } = await runNode(videoExtractFrame, { params: { timestamp }, inputs: { video } }, test)
    expect(image).toMatchObject({ kind: 'image', mime: 'image/png', width: 64, height: 48 })
    const pixel = (await pixelsOf(test, image!)).pixel(32, 24)
    return isColour(pixel, 'red') ? 'red' : isColour(pixel, 'blue') ? 'blue' : 'other'
  }

  it('takes the frame on screen at the timestamp, exactly at the cut between two colours', async () => {
    test = createTestContext()
    // Red covers 0–1 s (its last frame starts at 0.96 s), blue 1–2 s.
    expect(await Promise.all([colourAt(0), colourAt(0.99), colourAt(1)])).toEqual(['red', 'red', 'blue'])
  })

  it('accepts percentages, "100%" being the last frame', async () => {
    test = createTestContext()
    expect(await Promise.all([colourAt('75%'), colourAt('100%')])).toEqual(['blue', 'blue'])
  })

  it('extracts a red frame from a red video at its displayed size', async () => {
    test = createTestContext()
    const video = await storeVideo(test, await videoFixture({ seconds: 1, width: 96, height: 64, color: 'red' }))
    const { image } = await runNode(videoExtractFrame, { params: { timestamp: '50%' }, inputs: { video } }, test)
    expect(image).toMatchObject({ width: 96, height: 64 })
    const pixels = await pixelsOf(test, image!)
    expect([pixels.width, pixels.height, pixels.format]).toEqual([96, 64, 'png'])
    expect(isColour(pixels.pixel(48, 32), 'red')).toBe(true)
  })

  it('fails with INVALID_PARAM for a timestamp past the end', async () => {
    test = createTestContext()
    const video = await storeVideo(test, redBlue)
    const run = runNode(videoExtractFrame, { params: { timestamp: 2.5 }, inputs: { video } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_PARAM', retryable: false })
    await expect(run).rejects.toThrow('timestamp 2.500 s is past the end of the media (2.000 s long)')
    const percent = runNode(videoExtractFrame, { params: { timestamp: '120%' }, inputs: { video } }, test)
    await expect(percent).rejects.toMatchObject({ code: 'INVALID_PARAM' })
  })

  it('fails with INVALID_PARAM between the last frame and the end of longer audio', async () => {
    test = createTestContext()
    const sources = ['-f', 'lavfi', '-i', 'color=c=red:s=64x48:r=25:d=1', '-f', 'lavfi', '-i', 'sine=duration=2']
    const bytes = await ffmpegFixture('long-audio.mp4', [...sources, '-c:v', 'libx264', '-preset', 'ultrafast'])
    const video = await storeVideo(test, bytes)
    const run = runNode(videoExtractFrame, { params: { timestamp: 1.5 }, inputs: { video } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_PARAM' })
    await expect(run).rejects.toThrow('timestamp 1.5 s is past the last frame of the video')
  })

  it('fails with INVALID_MEDIA on a truncated video and INVALID_INPUT on audio', async () => {
    test = createTestContext()
    const broken = await storeVideo(test, redBlue.slice(0, 300))
    const run = runNode(videoExtractFrame, { inputs: { video: broken } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_MEDIA', retryable: false })
    await expect(run).rejects.toThrow(/input "video" is not readable media \(.+\)/)

    const tone = await test.ctx.assets.put(await audioFixture({ seconds: 0.1 }), { mime: 'audio/wav' })
    const wrongKind = runNode(videoExtractFrame, { inputs: { video: tone } }, test)
    await expect(wrongKind).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(wrongKind).rejects.toThrow('input "video" must be a video, got audio')
  })

  it('accepts seconds and percentages only', () => {
    const parse = (params: unknown) => videoExtractFrame.params.safeParse(params)
    expect(parse({}).data).toEqual({ timestamp: 0 })
    expect(parse({ timestamp: ' 50 %' }).success).toBe(true)
    for (const bad of [{ timestamp: -1 }, { timestamp: 'middle' }, { timestamp: '-5%' }]) {
      expect(parse(bad).success).toBe(false)
    }
  })
})
