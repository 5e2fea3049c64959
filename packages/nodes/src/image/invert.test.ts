import { afterEach, describe, expect, it } from 'vitest'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { splitImage } from '../testing/test-images.ts'
import { imageInvert } from './invert.ts'
import { expectPixel, readImage, solidImage, storeImage } from './test-fixtures.ts'

describe('image.invert', () => {
  let test: TestContext
  afterEach(async () => {
    await test.dispose()
  })

  it('turns red into cyan and blue into yellow', async () => {
    test = createTestContext()
    const image = await storeImage(test, await splitImage({ width: 40, height: 20 }))
    const { image: out } = await runNode(imageInvert, { inputs: { image } }, test)
    expect(out).toMatchObject({ mime: 'image/png', width: 40, height: 20 })
    const pixels = await readImage(test, out)
    expectPixel(pixels.pixel(5, 10), [0, 255, 255, 255], 0)
    expectPixel(pixels.pixel(35, 10), [255, 255, 0, 255], 0)
  })

  it('leaves the alpha channel as it was', async () => {
    test = createTestContext()
    const image = await storeImage(test, await solidImage(10, 10, '#20406080'))
    const { image: out } = await runNode(imageInvert, { inputs: { image } }, test)
    expect(out?.mime).toBe('image/png')
    expectPixel((await readImage(test, out)).pixel(5, 5), [223, 191, 159, 128], 0)
  })
})
