import { afterEach, describe, expect, it } from 'vitest'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { splitImage } from '../testing/test-images.ts'
import { imageBlur } from './blur.ts'
import { expectPixel, readImage, storeImage } from './test-fixtures.ts'

describe('image.blur', () => {
  let test: TestContext
  afterEach(async () => {
    await test.dispose()
  })

  it('mixes colours across the red/blue edge, more with a larger sigma, and leaves far pixels alone', async () => {
    test = createTestContext()
    const image = await storeImage(test, await splitImage({ width: 100, height: 50 }))
    const soft = await runNode(imageBlur, { inputs: { image } }, test)
    expect(soft.image).toMatchObject({ mime: 'image/png', width: 100, height: 50 })
    const softPixels = await readImage(test, soft.image)
    const [r, , b] = softPixels.pixel(49, 25)
    expect(r).toBeGreaterThan(60)
    expect(b).toBeGreaterThan(60)
    expectPixel(softPixels.pixel(5, 25), [255, 0, 0], 0)
    expectPixel(softPixels.pixel(95, 25), [0, 0, 255], 0)

    const strong = await runNode(imageBlur, { params: { sigma: 10 }, inputs: { image } }, test)
    const strongPixels = await readImage(test, strong.image)
    expect(strongPixels.pixel(40, 25)[2]).toBeGreaterThan(softPixels.pixel(40, 25)[2] + 20)
  })

  it('validates sigma: 0.3–1000, default 3', () => {
    const parse = (params: unknown) => imageBlur.params.safeParse(params)
    expect(parse({}).data).toEqual({ sigma: 3 })
    expect(parse({ sigma: 0.3 }).success).toBe(true)
    for (const sigma of [0.2, 1001, '3']) expect(parse({ sigma }).success).toBe(false)
  })
})
