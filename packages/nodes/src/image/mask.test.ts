import { afterEach, describe, expect, it } from 'vitest'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { splitImage } from '../testing/test-images.ts'
import { imageMask } from './mask.ts'
import { audioRef, expectPixel, readImage, solidImage, storeImage } from './test-fixtures.ts'

describe('image.mask', () => {
  let test: TestContext
  afterEach(async () => {
    await test.dispose()
  })

  /** A mask, white on the left and black on the right. */
  function whiteLeftMask(width: number, height: number) {
    return splitImage({ width, height, left: '#ffffff', right: '#000000' }).then((bytes) => storeImage(test, bytes))
  }

  it('makes white areas of the mask opaque and black areas transparent, keeping the colours', async () => {
    test = createTestContext()
    const image = await storeImage(test, await solidImage(40, 20, '#ff0000'))
    const { image: out } = await runNode(imageMask, { inputs: { image, mask: await whiteLeftMask(40, 20) } }, test)
    expect(out).toMatchObject({ mime: 'image/png', width: 40, height: 20 })
    const pixels = await readImage(test, out)
    expectPixel(pixels.pixel(5, 10), [255, 0, 0, 255], 0)
    expect(pixels.pixel(35, 10)[3]).toBe(0)
  })

  it('stretches the mask to the image, maps grey to partial alpha, and inverts on request', async () => {
    test = createTestContext()
    const image = await storeImage(test, await solidImage(40, 20, '#00ff00', 'webp'))
    const small = await runNode(imageMask, { inputs: { image, mask: await whiteLeftMask(10, 4) } }, test)
    expect(small.image).toMatchObject({ mime: 'image/webp', width: 40, height: 20 })
    const smallPixels = await readImage(test, small.image)
    expect(smallPixels.pixel(3, 10)[3]).toBeGreaterThan(250)
    expect(smallPixels.pixel(36, 10)[3]).toBeLessThan(5)

    const grey = await storeImage(test, await solidImage(8, 8, '#808080'))
    const half = await runNode(imageMask, { inputs: { image, mask: grey } }, test)
    expect((await readImage(test, half.image)).pixel(20, 10)[3]).toBeCloseTo(128, -1)

    const inverted = await runNode(
      imageMask,
      { params: { invert: true }, inputs: { image, mask: await whiteLeftMask(40, 20) } },
      test,
    )
    const invertedPixels = await readImage(test, inverted.image)
    expect(invertedPixels.pixel(5, 10)[3]).toBeLessThan(5)
    expect(invertedPixels.pixel(35, 10)[3]).toBeGreaterThan(250)
  })

  it('writes JPEG and GIF inputs as PNG so the alpha survives', async () => {
    test = createTestContext()
    for (const format of ['jpeg', 'gif'] as const) {
      const image = await storeImage(test, await solidImage(40, 20, '#0000ff', format))
      const { image: out } = await runNode(imageMask, { inputs: { image, mask: await whiteLeftMask(40, 20) } }, test)
      expect(out?.mime, format).toBe('image/png')
      const pixels = await readImage(test, out)
      expect(pixels.pixel(5, 10)[3], format).toBe(255)
      expect(pixels.pixel(35, 10)[3], format).toBe(0)
    }
  })

  it('replaces the image’s own alpha, and treats the mask’s transparency as black', async () => {
    test = createTestContext()
    const translucent = await storeImage(test, await solidImage(10, 10, '#ff000040'))
    const white = await storeImage(test, await solidImage(10, 10, '#ffffff'))
    const opaque = await runNode(imageMask, { inputs: { image: translucent, mask: white } }, test)
    expectPixel((await readImage(test, opaque.image)).pixel(5, 5), [255, 0, 0, 255], 0)

    const clearWhite = await storeImage(test, await solidImage(10, 10, '#ffffff00'))
    const hidden = await runNode(imageMask, { inputs: { image: white, mask: clearWhite } }, test)
    expect((await readImage(test, hidden.image)).pixel(5, 5)[3]).toBe(0)
  })

  it('rejects a mask that is not an image, naming the input', async () => {
    test = createTestContext()
    const image = await storeImage(test, await solidImage(10, 10, '#ffffff'))
    const run = runNode(imageMask, { inputs: { image, mask: audioRef } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('"mask"') })
  })

  it('validates params', () => {
    expect(imageMask.params.parse({})).toEqual({ invert: false })
    expect(imageMask.params.safeParse({ invert: 'yes' }).success).toBe(false)
  })
})
