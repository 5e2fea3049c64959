import { afterEach, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { imageAdjust } from './adjust.ts'
import { expectPixel, readImage, solidImage, storeImage } from './test-fixtures.ts'

describe('image.adjust', () => {
  let test: TestContext
  afterEach(async () => {
    await test.dispose()
  })

  async function adjusted(colour: string, params: z.input<typeof imageAdjust.params>) {
    const image = await storeImage(test, await solidImage(8, 8, colour))
    const { image: out } = await runNode(imageAdjust, { params, inputs: { image } }, test)
    expect(out).toMatchObject({ mime: 'image/png', width: 8, height: 8 })
    return (await readImage(test, out)).pixel(4, 4)
  }

  it('changes nothing with the defaults', async () => {
    test = createTestContext()
    expectPixel(await adjusted('#c86432', {}), [200, 100, 50], 0)
  })

  it('brightness multiplies lightness: 0 is black, 0.5 darker, 1.5 lighter', async () => {
    test = createTestContext()
    expectPixel(await adjusted('#808080', { brightness: 0 }), [0, 0, 0])
    const darker = await adjusted('#808080', { brightness: 0.5 })
    const lighter = await adjusted('#808080', { brightness: 1.5 })
    expect(darker[0]).toBeLessThan(100)
    expect(lighter[0]).toBeGreaterThan(160)
    expect([darker[1], lighter[1]]).toEqual([darker[0], lighter[0]])
  })

  it('contrast scales the distance from mid-grey', async () => {
    test = createTestContext()
    expectPixel(await adjusted('#646464', { contrast: 2 }), [72, 72, 72], 1)
    expectPixel(await adjusted('#c8c8c8', { contrast: 2 }), [255, 255, 255], 0)
    expectPixel(await adjusted('#c8c8c8', { contrast: 0.5 }), [164, 164, 164], 1)
    expectPixel(await adjusted('#ff0000', { contrast: 0 }), [128, 128, 128], 1)
  })

  it('saturation 0 makes colours grey; hue rotates red towards green', async () => {
    test = createTestContext()
    const [r, g, b] = await adjusted('#ff0000', { saturation: 0 })
    expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeLessThanOrEqual(2)
    const turned = await adjusted('#ff0000', { hue: 120 })
    expect(turned[1]).toBeGreaterThan(turned[0])
  })

  it('gamma above 1 brightens mid-tones and keeps black and white', async () => {
    test = createTestContext()
    expectPixel(await adjusted('#808080', { gamma: 2 }), [180, 180, 180], 2)
    expectPixel(await adjusted('#000000', { gamma: 2 }), [0, 0, 0], 0)
    expectPixel(await adjusted('#ffffff', { gamma: 2 }), [255, 255, 255], 0)
  })

  it('keeps the alpha channel', async () => {
    test = createTestContext()
    const pixel = await adjusted('#64646480', { contrast: 2, brightness: 1.2, gamma: 1.5 })
    expect(pixel[3]).toBe(128)
  })

  it('validates params', () => {
    const parse = (params: unknown) => imageAdjust.params.safeParse(params)
    expect(parse({}).data).toEqual({ brightness: 1, contrast: 1, saturation: 1, hue: 0, gamma: 1 })
    expect(parse({ brightness: 4, contrast: 0, saturation: 4, hue: -360, gamma: 3 }).success).toBe(true)
    for (const bad of [
      { brightness: 4.1 },
      { contrast: -1 },
      { saturation: 5 },
      { hue: 10.5 },
      { hue: 361 },
      { gamma: 0.9 },
      { gamma: 3.1 },
    ]) {
      expect(parse(bad).success, JSON.stringify(bad)).toBe(false)
    }
  })
})
