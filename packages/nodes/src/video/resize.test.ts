import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ffmpegSuiteEnabled, videoFixture } from '../testing/media-fixtures.ts'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { isColour } from '../testing/test-images.ts'
import { videoExtractFrame } from './extract-frame.ts'
import { scaleFilter, targetSize, videoResize } from './resize.ts'
import { pixelsOf, probeAsset, storeVideo } from './test-fixtures.ts'

describe.skipIf(!(await ffmpegSuiteEnabled('video.resize')))('video.resize', () => {
  let red: Uint8Array
  let test: TestContext

  beforeAll(async () => {
    red = await videoFixture({ seconds: 0.5, width: 160, height: 120, color: 'red', audio: true })
  })

  afterEach(async () => {
    await test.dispose()
  })

  it('keeps the aspect ratio with one side given (120 × 100/160 = 75 → 76, even)', async () => {
    test = createTestContext()
    const video = await storeVideo(test, red)
    const { video: resized } = await runNode(videoResize, { params: { width: 100 }, inputs: { video } }, test)
    expect(resized).toMatchObject({ kind: 'video', mime: 'video/mp4', width: 100, height: 76 })
    const probe = await probeAsset(test, resized!)
    expect(probe.video).toMatchObject({ codec: 'h264', width: 100, height: 76 })
    expect(probe.audio?.codec).toBe('aac')
  })

  it('pads with black bars for contain, and fills the box for cover', async () => {
    test = createTestContext()
    const video = await storeVideo(test, red)
    const box = { width: 120, height: 120 }
    const [contain, cover] = await Promise.all([
      runNode(videoResize, { params: { ...box, fit: 'contain' }, inputs: { video } }, test),
      runNode(videoResize, { params: { ...box, fit: 'cover' }, inputs: { video } }, test),
    ])
    for (const { video: out } of [contain, cover]) expect(out).toMatchObject(box)

    const frameOf = async (out: typeof video) => {
      const { image } = await runNode(videoExtractFrame, { inputs: { video: out } }, test)
      return pixelsOf(test, image!)
    }
    const [letterboxed, filled] = await Promise.all([frameOf(contain.video!), frameOf(cover.video!)])
    expect(Math.max(...letterboxed.pixel(60, 2))).toBeLessThan(30)
    expect(isColour(letterboxed.pixel(60, 60), 'red')).toBe(true)
    expect(isColour(filled.pixel(60, 2), 'red')).toBe(true)
  })

  it('computes sizes and filters', () => {
    expect(targetSize({ height: 60 }, { width: 160, height: 120 })).toEqual({ width: 80, height: 60 })
    expect(targetSize({ width: 101, height: 51 }, { width: 160, height: 120 })).toEqual({ width: 102, height: 52 })
    expect(scaleFilter({ width: 64, height: 48 }, 'fill')).toBe('scale=64:48,setsar=1')
  })

  it('needs a width or a height', () => {
    expect(videoResize.params.safeParse({}).error?.issues[0]?.message).toBe('set "width", "height" or both')
    expect(videoResize.params.safeParse({ width: 64 }).data).toEqual({ width: 64, fit: 'contain' })
  })
})
