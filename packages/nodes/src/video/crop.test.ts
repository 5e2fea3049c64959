import { afterEach, describe, expect, it } from 'vitest'
import { ffmpegSuiteEnabled } from '../testing/media-fixtures.ts'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { isColour } from '../testing/test-images.ts'
import { evenRect, videoCrop } from './crop.ts'
import { videoExtractFrame } from './extract-frame.ts'
import { ffmpegFixture, pixelsOf, probeAsset, storeVideo } from './test-fixtures.ts'

/** 1 s of a 160×120 picture, red on the left half and blue on the right. */
function splitVideo(): Promise<Uint8Array> {
  const graph = 'color=c=red:s=80x120:r=25:d=1[l];color=c=blue:s=80x120:r=25:d=1[r];[l][r]hstack[out0]'
  return ffmpegFixture('split.mp4', ['-f', 'lavfi', '-i', graph, '-c:v', 'libx264', '-preset', 'ultrafast'])
}

describe.skipIf(!(await ffmpegSuiteEnabled('video.crop')))('video.crop', () => {
  let test: TestContext
  afterEach(async () => {
    await test.dispose()
  })

  it('crops the left half of a red|blue video to an 80×120 red video', async () => {
    test = createTestContext()
    const video = await storeVideo(test, await splitVideo())
    const { video: out } = await runNode(videoCrop, { params: { width: 0.5 }, inputs: { video } }, test)
    expect(out).toMatchObject({ kind: 'video', mime: 'video/mp4', width: 80, height: 120 })
    expect((await probeAsset(test, out!)).video).toMatchObject({ width: 80, height: 120 })
    const { image } = await runNode(videoExtractFrame, { inputs: { video: out! } }, test)
    const pixels = await pixelsOf(test, image!)
    expect(isColour(pixels.pixel(40, 60), 'red')).toBe(true)
    expect(isColour(pixels.pixel(75, 60), 'red')).toBe(true)
  })

  it('fails with EMPTY_CROP when the crop rounds to nothing', async () => {
    test = createTestContext()
    const video = await storeVideo(test, await splitVideo())
    const run = runNode(videoCrop, { params: { x: 0.5, width: 0.005 }, inputs: { video } }, test)
    await expect(run).rejects.toMatchObject({ code: 'EMPTY_CROP', retryable: false })
    await expect(run).rejects.toThrow('the crop is 0×120 pixels of a 160×120 video')
  })

  it('rounds edges to even pixels inside the frame', () => {
    expect(evenRect({ x: 0, y: 0, width: 0.5, height: 1 }, { width: 161, height: 121 })).toEqual({
      left: 0,
      top: 0,
      width: 80,
      height: 120,
    })
    expect(evenRect({ x: 1 / 3, y: 0.1, width: 1 / 3, height: 0.5 }, { width: 100, height: 50 })).toEqual({
      left: 34,
      top: 6,
      width: 32,
      height: 24,
    })
  })

  it('validates params like image.crop', () => {
    const parse = (params: unknown) => videoCrop.params.safeParse(params)
    expect(parse({}).data).toEqual({ x: 0, y: 0, width: 1, height: 1 })
    expect(parse({ x: 0.6, width: 0.5 }).error?.issues[0]?.message).toContain('x + width must not exceed 1')
    expect(parse({ width: 0 }).success).toBe(false)
  })
})
