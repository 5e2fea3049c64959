import { afterEach, describe, expect, it } from 'vitest'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { imageComposite } from './composite.ts'
import { audioRef, expectPixel, readImage, solidImage, storeGarbage, storeImage } from './test-fixtures.ts'

const red = [255, 0, 0]
const green = [0, 255, 0]
const blue = [0, 0, 255]

describe('image.composite', () => {
  let test: TestContext
  afterEach(async () => {
    await test.dispose()
  })

  /** A 200×100 base of `colour`. */
  function base(colour = '#0000ff', format: 'png' | 'jpeg' = 'png') {
    return solidImage(200, 100, colour, format).then((bytes) => storeImage(test, bytes))
  }
  function layer(colour: string, width: number, height = width) {
    return solidImage(width, height, colour).then((bytes) => storeImage(test, bytes))
  }

  it('places a layer scaled to 25% of the base width with its left edge at x = 0.5', async () => {
    test = createTestContext()
    const inputs = { base: await base(), layers: [await layer('#ff0000', 40)] }
    const params = { layers: [{ x: 0.5, scale: 0.25 }] }
    const { image: out } = await runNode(imageComposite, { params, inputs }, test)
    expect(out).toMatchObject({ mime: 'image/png', width: 200, height: 100 })
    const pixels = await readImage(test, out)
    for (const [x, y] of [
      [100, 0],
      [149, 0],
      [100, 49],
      [149, 49],
    ] as const) {
      expectPixel(pixels.pixel(x, y), red, 0)
    }
    for (const [x, y] of [
      [99, 10],
      [150, 10],
      [120, 50],
    ] as const) {
      expectPixel(pixels.pixel(x, y), blue, 0)
    }
  })

  it('blends a layer with opacity 0.5 half-and-half with the base', async () => {
    test = createTestContext()
    const inputs = { base: await base(), layers: [await layer('#ff0000', 20)] }
    const { image: out } = await runNode(imageComposite, { params: { layers: [{ opacity: 0.5 }] }, inputs }, test)
    expectPixel((await readImage(test, out)).pixel(10, 10), [128, 0, 127], 2)
  })

  it('stacks layers in edge order and places layers without params entries at the top left', async () => {
    test = createTestContext()
    const inputs = { base: await base(), layers: [await layer('#ff0000', 40), await layer('#00ff00', 20)] }
    const params = { layers: [{ x: 0.05 }] }
    const { image: out } = await runNode(imageComposite, { params, inputs }, test)
    const pixels = await readImage(test, out)
    // Red covers x 10–49 at natural size; green, on top, covers x 0–19.
    expectPixel(pixels.pixel(5, 5), green, 0)
    expectPixel(pixels.pixel(15, 5), green, 0)
    expectPixel(pixels.pixel(25, 5), red, 0)
    expectPixel(pixels.pixel(25, 45), blue, 0)
  })

  it('clips layers that extend past the base and skips layers entirely outside it', async () => {
    test = createTestContext()
    const inputs = { base: await base(), layers: [await layer('#ff0000', 100), await layer('#00ff00', 10)] }
    const params = {
      layers: [
        { x: 0.75, y: 0.5 },
        { x: 1, y: 1 },
      ],
    }
    const { image: out } = await runNode(imageComposite, { params, inputs }, test)
    expect(out).toMatchObject({ width: 200, height: 100 })
    const pixels = await readImage(test, out)
    expectPixel(pixels.pixel(150, 50), red, 0)
    expectPixel(pixels.pixel(199, 99), red, 0)
    expectPixel(pixels.pixel(149, 99), blue, 0)
  })

  it('applies blend modes and keeps a JPEG base as JPEG', async () => {
    test = createTestContext()
    const inputs = { base: await base('#808080', 'jpeg'), layers: [await layer('#ff0000', 50)] }
    const params = { layers: [{ blend: 'multiply' as const }] }
    const { image: out } = await runNode(imageComposite, { params, inputs }, test)
    expect(out?.mime).toBe('image/jpeg')
    const pixels = await readImage(test, out)
    expectPixel(pixels.pixel(20, 20), [128, 0, 0], 8)
    expectPixel(pixels.pixel(100, 50), [128, 128, 128], 8)
  })

  it('names the layer that is not an image or cannot be decoded', async () => {
    test = createTestContext()
    const notImage = runNode(
      imageComposite,
      { inputs: { base: await base(), layers: [await layer('#ff0000', 5), audioRef] } },
      test,
    )
    await expect(notImage).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('layers[1]'),
    })
    const damaged = runNode(
      imageComposite,
      { inputs: { base: await base(), layers: [await storeGarbage(test)] } },
      test,
    )
    await expect(damaged).rejects.toMatchObject({ code: 'INVALID_IMAGE', retryable: false })
  })

  it('validates params and fills in layer defaults', () => {
    const parse = (params: unknown) => imageComposite.params.safeParse(params)
    expect(parse({}).data).toEqual({ layers: [] })
    expect(parse({ layers: [{ scale: 0.5 }] }).data).toEqual({
      layers: [{ x: 0, y: 0, scale: 0.5, opacity: 1, blend: 'over' }],
    })
    for (const bad of [{ x: 1.1 }, { y: -0.1 }, { scale: 0 }, { opacity: 1.5 }, { blend: 'bogus' }]) {
      expect(parse({ layers: [bad] }).success, JSON.stringify(bad)).toBe(false)
    }
  })
})
