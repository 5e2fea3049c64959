import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ffmpegSuiteEnabled } from '../testing/media-fixtures.ts'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { isColour } from '../testing/test-images.ts'
import { pixelsOf, redThenBlueVideo, storeVideo } from './test-fixtures.ts'
import { expectedFrames, videoToFrames } from './to-frames.ts'

describe.skipIf(!(await ffmpegSuiteEnabled('video.toFrames')))('video.toFrames', () => {
  let redBlue: Uint8Array
  let test: TestContext

  beforeAll(async () => {
    redBlue = await redThenBlueVideo()
  })

  afterEach(async () => {
    await test.dispose()
  })

  it('samples a 2 s video at 2 fps into 4 PNG frames, in order', async () => {
    test = createTestContext()
    const video = await storeVideo(test, redBlue)
    const { images } = await runNode(videoToFrames, { params: { fps: 2 }, inputs: { video } }, test)
    expect(images).toHaveLength(4)
    for (const image of images!)
      expect(image).toMatchObject({ kind: 'image', mime: 'image/png', width: 64, height: 48 })
    const colours: string[] = []
    for (const image of images!)
      colours.push(isColour((await pixelsOf(test, image)).pixel(32, 24), 'red') ? 'red' : 'blue')
    expect(colours).toEqual(['red', 'red', 'blue', 'blue'])
  })

  it('refuses to make more than max images, saying how many it would make', async () => {
    test = createTestContext()
    const video = await storeVideo(test, redBlue)
    const run = runNode(videoToFrames, { params: { fps: 10, max: 5 }, inputs: { video } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_PARAM', details: { count: 20, max: 5 } })
    await expect(run).rejects.toThrow('10 fps over 2 s makes 20 images, more than max 5')
    expect(test.stored.filter((ref) => ref.kind === 'image')).toEqual([])
  })

  it('counts frames as ffmpeg’s fps filter makes them', () => {
    expect(expectedFrames(2000, 2)).toBe(4)
    expect(expectedFrames(1300, 3)).toBe(4)
    expect(expectedFrames(1300, 0.5)).toBe(1)
    expect(expectedFrames(1300, 25)).toBe(33)
  })

  it('bounds fps and max', () => {
    const parse = (params: unknown) => videoToFrames.params.safeParse(params)
    expect(parse({}).data).toEqual({ fps: 1, max: 100 })
    for (const bad of [{ fps: 0.05 }, { fps: 31 }, { max: 0 }, { max: 501 }]) expect(parse(bad).success).toBe(false)
  })
})
