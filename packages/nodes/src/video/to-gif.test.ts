import sharp from 'sharp'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ffmpegSuiteEnabled, videoFixture } from '../testing/media-fixtures.ts'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { storeVideo } from './test-fixtures.ts'
import { videoToGif } from './to-gif.ts'

describe.skipIf(!(await ffmpegSuiteEnabled('video.toGif')))('video.toGif', () => {
  let clip: Uint8Array
  let test: TestContext

  beforeAll(async () => {
    clip = await videoFixture({ seconds: 1, width: 160, height: 120, audio: true })
  })

  afterEach(async () => {
    await test.dispose()
  })

  it('makes an animated, looping GIF image at the given width and rate', async () => {
    test = createTestContext()
    const video = await storeVideo(test, clip)
    const { image } = await runNode(videoToGif, { params: { width: 80, fps: 10 }, inputs: { video } }, test)
    expect(image).toMatchObject({ kind: 'image', mime: 'image/gif', width: 80, height: 60 })
    const metadata = await sharp(await test.ctx.assets.read(image!), { animated: true }).metadata()
    expect(metadata).toMatchObject({ format: 'gif', width: 80, pages: 10, loop: 0 })
  })

  it('plays once with loop: false', async () => {
    test = createTestContext()
    const video = await storeVideo(test, clip)
    const { image } = await runNode(videoToGif, { params: { width: 32, loop: false }, inputs: { video } }, test)
    const metadata = await sharp(await test.ctx.assets.read(image!)).metadata()
    expect(metadata.pages).toBeGreaterThan(1)
    expect(metadata.loop).not.toBe(0)
  })

  it('defaults to 480 px wide, 10 fps, looping', () => {
    expect(videoToGif.params.parse({})).toEqual({ fps: 10, width: 480, loop: true })
  })
})
