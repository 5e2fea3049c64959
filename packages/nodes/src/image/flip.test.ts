import { afterEach, describe, expect, it } from 'vitest'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { splitImage } from '../testing/test-images.ts'
import { imageFlip } from './flip.ts'
import { expectPixel, readImage, redCornerImage, storeImage } from './test-fixtures.ts'

const red = [255, 0, 0]
const blue = [0, 0, 255]

describe('image.flip', () => {
  let test: TestContext
  afterEach(async () => {
    await test.dispose()
  })

  it('horizontal (the default) moves the red left half to the right', async () => {
    test = createTestContext()
    const image = await storeImage(test, await splitImage({ width: 100, height: 50 }))
    const { image: out } = await runNode(imageFlip, { inputs: { image } }, test)
    expect(out).toMatchObject({ mime: 'image/png', width: 100, height: 50 })
    const pixels = await readImage(test, out)
    expectPixel(pixels.pixel(10, 25), blue, 0)
    expectPixel(pixels.pixel(90, 25), red, 0)
  })

  it('vertical moves the red top-left corner to the bottom left; both to the bottom right', async () => {
    test = createTestContext()
    const image = await storeImage(test, await redCornerImage(40, 20))
    const expected = { vertical: [5, 15], both: [35, 15] } as const
    for (const [direction, [x, y]] of Object.entries(expected)) {
      const params = { direction: direction as keyof typeof expected }
      const { image: out } = await runNode(imageFlip, { params, inputs: { image } }, test)
      const pixels = await readImage(test, out)
      expect([pixels.width, pixels.height]).toEqual([40, 20])
      expectPixel(pixels.pixel(x, y), red, 0)
      expectPixel(pixels.pixel(5, 5), blue, 0)
    }
  })

  it('rejects an unknown direction', () => {
    expect(imageFlip.params.safeParse({ direction: 'diagonal' }).success).toBe(false)
  })
})
