import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { ffmpegSuiteEnabled } from '../testing/media-fixtures.ts'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { isColour, splitImage } from '../testing/test-images.ts'
import { videoExtractFrame } from './extract-frame.ts'
import { videoFromImages } from './from-images.ts'
import { durationSeconds, pixelsOf, probeAsset } from './test-fixtures.ts'

describe.skipIf(!(await ffmpegSuiteEnabled('video.fromImages')))('video.fromImages', () => {
  let test: TestContext
  afterEach(async () => {
    await test.dispose()
  })

  async function image(colour: string, width = 64, height = 48, format: 'png' | 'jpeg' = 'png') {
    const bytes = await splitImage({ width, height, left: colour, right: colour, format })
    return test.ctx.assets.put(bytes, { mime: `image/${format}`, width, height })
  }

  it('makes 10 images at 5 fps into a 2 s video of 10 frames', async () => {
    test = createTestContext()
    const images = await Promise.all(Array.from({ length: 10 }, (_, i) => image(i < 5 ? 'red' : 'blue')))
    const { video } = await runNode(videoFromImages, { params: { fps: 5 }, inputs: { images } }, test)
    expect(video).toMatchObject({ kind: 'video', mime: 'video/mp4', width: 64, height: 48 })
    const probe = await probeAsset(test, video!)
    expect(durationSeconds(probe)).toBeCloseTo(2, 2)
    expect(probe.video).toMatchObject({ codec: 'h264', fps: 5, frames: 10 })
    expect(probe.audio).toBeUndefined()
    const colourAt = async (timestamp: number) => {
      const { image: frame } = await runNode(
        videoExtractFrame,
        { params: { timestamp }, inputs: { video: video! } },
        test,
      )
      return (await pixelsOf(test, frame!)).pixel(32, 24)
    }
    const [before, after] = await Promise.all([colourAt(0.9), colourAt(1.1)])
    expect(isColour(before, 'red')).toBe(true)
    expect(isColour(after, 'blue')).toBe(true)
  })

  it('holds each image for secondsPerImage, fitting others into the first one’s size', async () => {
    test = createTestContext()
    const images = [await image('red', 64, 48), await image('blue', 30, 90, 'jpeg'), await image('red', 65, 49)]
    const { video } = await runNode(
      videoFromImages,
      { params: { fps: 10, secondsPerImage: 0.5 }, inputs: { images } },
      test,
    )
    const probe = await probeAsset(test, video!)
    expect(durationSeconds(probe)).toBeCloseTo(1.5, 2)
    expect(probe.video).toMatchObject({ width: 64, height: 48, fps: 10, frames: 15 })
  })

  it('flattens an edge carrying a list of images, and sizes from width alone', async () => {
    test = createTestContext()
    const list = [await image('red', 101, 51), await image('blue', 101, 51)]
    const images = [list, await image('red', 101, 51)] as unknown as typeof list
    const { video } = await runNode(videoFromImages, { params: { fps: 2, width: 200 }, inputs: { images } }, test)
    const probe = await probeAsset(test, video!)
    expect(probe.video).toMatchObject({ width: 200, height: 102, frames: 3 })
  })

  it('fails with INVALID_IMAGE naming an image that does not decode', async () => {
    test = createTestContext()
    const broken = await test.ctx.assets.put(new Uint8Array([137, 80, 78, 71, 1, 2]), { mime: 'image/png' })
    const run = runNode(videoFromImages, { inputs: { images: [await image('red'), broken] } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_IMAGE', retryable: false })
    await expect(run).rejects.toThrow(`images[1] (asset ${broken.assetId}) could not be decoded`)
  })

  it('rejects a video among the images', async () => {
    test = createTestContext()
    const video = await test.ctx.assets.put(new Uint8Array([0]), { mime: 'video/mp4' })
    const run = runNode(videoFromImages, { inputs: { images: [video] } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })

  it('applies EXIF orientation', async () => {
    test = createTestContext()
    const rotated = await sharp(await splitImage({ width: 64, height: 32, format: 'jpeg' }))
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer()
    const ref = await test.ctx.assets.put(rotated, { mime: 'image/jpeg' })
    const { video } = await runNode(videoFromImages, { inputs: { images: [ref] } }, test)
    expect(video).toMatchObject({ width: 32, height: 64 })
  })
})
