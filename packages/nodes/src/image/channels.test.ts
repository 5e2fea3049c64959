import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { imageChannels } from './channels.ts'
import { expectPixel, readImage, solidImage, storeImage } from './test-fixtures.ts'

describe('image.channels', () => {
  let test: TestContext
  afterEach(async () => {
    await test.dispose()
  })

  it('splits a pure red image into white, black and black greyscale images, with no alpha output', async () => {
    test = createTestContext()
    const image = await storeImage(test, await solidImage(12, 8, '#ff0000'))
    const out = await runNode(imageChannels, { inputs: { image } }, test)
    expect(Object.keys(out).sort()).toEqual(['blue', 'green', 'red'])
    const expected = { red: 255, green: 0, blue: 0 }
    for (const [channel, value] of Object.entries(expected)) {
      const ref = out[channel as keyof typeof expected]
      expect(ref, channel).toMatchObject({ kind: 'image', mime: 'image/png', width: 12, height: 8 })
      const pixels = await readImage(test, ref)
      expect(pixels.channels, channel).toBe(1)
      expectPixel(pixels.pixel(6, 4), [value, value, value], 0)
    }
  })

  it('gives an alpha output for images with alpha, in the input format', async () => {
    test = createTestContext()
    const image = await storeImage(test, await solidImage(10, 10, '#3366cc80', 'webp'))
    const out = await runNode(imageChannels, { inputs: { image } }, test)
    expect(out.alpha).toMatchObject({ mime: 'image/webp', width: 10, height: 10 })
    const values = await Promise.all(
      [out.red, out.green, out.blue, out.alpha].map(async (ref) => (await readImage(test, ref)).pixel(5, 5)[0]),
    )
    values.forEach((value, index) => {
      expect(Math.abs(value - [0x33, 0x66, 0xcc, 0x80][index]!)).toBeLessThanOrEqual(4)
    })
  })

  it('gives three equal channels for a greyscale image', async () => {
    test = createTestContext()
    const grey = await sharp({ create: { width: 6, height: 6, channels: 3, background: '#505050' } })
      .toColourspace('b-w')
      .png()
      .toBuffer()
    const out = await runNode(imageChannels, { inputs: { image: await storeImage(test, grey) } }, test)
    for (const ref of [out.red, out.green, out.blue]) {
      expect((await readImage(test, ref)).pixel(3, 3)[0]).toBe(0x50)
    }
    expect(out.alpha).toBeUndefined()
  })
})
