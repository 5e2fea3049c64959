import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ffmpegSuiteEnabled, videoFixture } from '../testing/media-fixtures.ts'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { isColour } from '../testing/test-images.ts'
import { videoConcat } from './concat.ts'
import { videoExtractFrame } from './extract-frame.ts'
import { durationSeconds, pixelsOf, probeAsset, storeVideo } from './test-fixtures.ts'

describe.skipIf(!(await ffmpegSuiteEnabled('video.concat')))('video.concat', () => {
  let red: Uint8Array
  let blueSmallFast: Uint8Array
  let silentBlue: Uint8Array
  let test: TestContext

  beforeAll(async () => {
    red = await videoFixture({ seconds: 1, width: 160, height: 120, fps: 25, color: 'red', audio: true })
    blueSmallFast = await videoFixture({ seconds: 1, width: 80, height: 80, fps: 50, color: 'blue', audio: true })
    silentBlue = await videoFixture({ seconds: 1, width: 160, height: 120, fps: 25, color: 'blue' })
  })

  afterEach(async () => {
    await test.dispose()
  })

  it('joins 1 s + 1 s into 2 s at the first clip’s size and rate, in edge order', async () => {
    test = createTestContext()
    const videos = [await storeVideo(test, red), await storeVideo(test, blueSmallFast)]
    const { video } = await runNode(videoConcat, { inputs: { videos } }, test)
    expect(video).toMatchObject({ kind: 'video', mime: 'video/mp4', width: 160, height: 120 })
    const probe = await probeAsset(test, video!)
    expect(durationSeconds(probe)).toBeCloseTo(2, 1)
    expect(probe.video).toMatchObject({ width: 160, height: 120, fps: 25, frames: 50 })
    expect(probe.audio?.codec).toBe('aac')
    expect(test.progress.at(-1)?.fraction).toBeGreaterThan(0.9)

    const frameAt = async (timestamp: number) => {
      const { image } = await runNode(videoExtractFrame, { params: { timestamp }, inputs: { video: video! } }, test)
      return pixelsOf(test, image!)
    }
    const [first, second] = await Promise.all([frameAt(0.5), frameAt(1.5)])
    expect(isColour(first.pixel(80, 60), 'red')).toBe(true)
    expect(isColour(second.pixel(80, 60), 'blue')).toBe(true)
    // The square second clip is padded with black bars to 160×120.
    expect(Math.max(...second.pixel(5, 60))).toBeLessThan(30)
  })

  it('gives silent clips a silent stretch when another clip has sound', async () => {
    test = createTestContext()
    const videos = [await storeVideo(test, silentBlue), await storeVideo(test, red)]
    const { video } = await runNode(videoConcat, { inputs: { videos } }, test)
    const probe = await probeAsset(test, video!)
    expect(probe.audio?.codec).toBe('aac')
    expect(durationSeconds(probe)).toBeCloseTo(2, 1)
  })

  it('has no audio track when no clip has sound', async () => {
    test = createTestContext()
    const videos = [await storeVideo(test, silentBlue), await storeVideo(test, silentBlue)]
    const { video } = await runNode(videoConcat, { inputs: { videos } }, test)
    const probe = await probeAsset(test, video!)
    expect(probe.audio).toBeUndefined()
    expect(durationSeconds(probe)).toBeCloseTo(2, 1)
  })

  it('names the clip that is not a video', async () => {
    test = createTestContext()
    const image = await test.ctx.assets.put(new Uint8Array([1, 2, 3]), { mime: 'image/png' })
    const run = runNode(videoConcat, { inputs: { videos: [await storeVideo(test, red), image] } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(run).rejects.toThrow('input "videos[1]" must be a video, got image')
  })
})
