import { afterEach, describe, expect, it } from 'vitest'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { splitImage } from '../testing/test-images.ts'
import { imageGrayscale } from './grayscale.ts'
import { readImage, solidImage, storeImage } from './test-fixtures.ts'

describe('image.grayscale', () => {
  let test: TestContext
  afterEach(async () => {
    await test.dispose()
  })

  it('makes red and blue pixels grey (r = g = b), keeping the JPEG format and size', async () => {
    test = createTestContext()
    const image = await storeImage(test, await splitImage({ width: 60, height: 30, format: 'jpeg' }))
    const { image: out } = await runNode(imageGrayscale, { inputs: { image } }, test)
    expect(out).toMatchObject({ mime: 'image/jpeg', width: 60, height: 30 })
    const pixels = await readImage(test, out)
    for (const x of [10, 50]) {
      const [r, g, b] = pixels.pixel(x, 15)
      expect(Math.max(r, g, b) - Math.min(r, g, b), `x=${x}`).toBeLessThanOrEqual(2)
    }
    // Red is lighter than blue to the eye.
    expect(pixels.pixel(10, 15)[0]).toBeGreaterThan(pixels.pixel(50, 15)[0])
  })

  it('keeps the alpha channel', async () => {
    test = createTestContext()
    const image = await storeImage(test, await solidImage(10, 10, '#ff000080'))
    const { image: out } = await runNode(imageGrayscale, { inputs: { image } }, test)
    const [r, g, b, alpha] = (await readImage(test, out)).pixel(5, 5)
    expect([r, g]).toEqual([b, b])
    expect(alpha).toBe(128)
  })
})
