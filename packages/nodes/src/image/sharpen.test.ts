import { afterEach, describe, expect, it } from 'vitest'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { splitImage } from '../testing/test-images.ts'
import { imageSharpen } from './sharpen.ts'
import { readImage, storeImage } from './test-fixtures.ts'

describe('image.sharpen', () => {
  let test: TestContext
  afterEach(async () => {
    await test.dispose()
  })

  /** How far the pixels beside the dark/light edge overshoot the two greys (100 and 150). */
  async function overshoot(params: { sigma?: number; amount?: number }): Promise<number> {
    const image = await storeImage(
      test,
      await splitImage({ width: 100, height: 20, left: '#646464', right: '#969696' }),
    )
    const { image: out } = await runNode(imageSharpen, { params, inputs: { image } }, test)
    expect(out).toMatchObject({ mime: 'image/png', width: 100, height: 20 })
    const pixels = await readImage(test, out)
    expect(pixels.pixel(5, 10)[0]).toBe(100)
    expect(pixels.pixel(95, 10)[0]).toBe(150)
    return 100 - pixels.pixel(49, 10)[0] + (pixels.pixel(50, 10)[0] - 150)
  }

  it('darkens the dark side and lightens the light side of an edge, more with a larger amount', async () => {
    test = createTestContext()
    const gentle = await overshoot({ sigma: 2, amount: 1 })
    const strong = await overshoot({ sigma: 2, amount: 8 })
    expect(gentle).toBeGreaterThan(0)
    expect(strong).toBeGreaterThan(gentle)
  })

  it('validates params', () => {
    const parse = (params: unknown) => imageSharpen.params.safeParse(params)
    expect(parse({}).data).toEqual({ sigma: 1 })
    expect(parse({ sigma: 10, amount: 0 }).success).toBe(true)
    for (const bad of [{ sigma: 0.4 }, { sigma: 11 }, { amount: -1 }, { amount: 11 }]) {
      expect(parse(bad).success, JSON.stringify(bad)).toBe(false)
    }
  })
})
