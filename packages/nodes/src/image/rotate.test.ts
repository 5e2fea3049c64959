import { afterEach, describe, expect, it } from 'vitest'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { splitImage } from '../testing/test-images.ts'
import { imageRotate } from './rotate.ts'
import { expectPixel, readImage, storeImage } from './test-fixtures.ts'

describe('image.rotate', () => {
  let test: TestContext
  afterEach(async () => {
    await test.dispose()
  })

  it('turns 90° clockwise, swapping width and height: the red left half goes on top', async () => {
    test = createTestContext()
    const image = await storeImage(test, await splitImage({ width: 100, height: 50 }))
    const { image: out } = await runNode(imageRotate, { params: { angle: 90 }, inputs: { image } }, test)
    expect(out).toMatchObject({ kind: 'image', mime: 'image/png', width: 50, height: 100 })
    const pixels = await readImage(test, out)
    expect([pixels.width, pixels.height]).toEqual([50, 100])
    expectPixel(pixels.pixel(25, 10), [255, 0, 0], 0)
    expectPixel(pixels.pixel(25, 90), [0, 0, 255], 0)
  })

  it('turns anticlockwise for negative angles, and treats 270 like −90', async () => {
    test = createTestContext()
    const image = await storeImage(test, await splitImage({ width: 100, height: 50 }))
    for (const angle of [-90, 270, -450]) {
      const { image: out } = await runNode(imageRotate, { params: { angle }, inputs: { image } }, test)
      const pixels = await readImage(test, out)
      expect([pixels.width, pixels.height], `${angle}`).toEqual([50, 100])
      expectPixel(pixels.pixel(25, 90), [255, 0, 0], 0)
    }
  })

  it('grows the canvas for other angles and fills the corners with the background, keeping JPEG', async () => {
    test = createTestContext()
    const image = await storeImage(test, await splitImage({ width: 100, height: 50, format: 'jpeg' }))
    const params = { angle: 45, background: '#00ff00' }
    const { image: out } = await runNode(imageRotate, { params, inputs: { image } }, test)
    expect(out?.mime).toBe('image/jpeg')
    const pixels = await readImage(test, out)
    // The bounding box of a 100×50 rectangle turned 45°: (100 + 50)·cos 45° ≈ 106 on each side.
    expect(pixels.width).toBeGreaterThanOrEqual(105)
    expect(pixels.width).toBeLessThanOrEqual(108)
    expect(pixels.height).toBe(pixels.width)
    expect([out?.width, out?.height]).toEqual([pixels.width, pixels.height])
    expectPixel(pixels.pixel(1, 1), [0, 255, 0], 30)
  })

  it('leaves the corners transparent by default', async () => {
    test = createTestContext()
    const image = await storeImage(test, await splitImage({ width: 60, height: 60 }))
    const { image: out } = await runNode(imageRotate, { params: { angle: 30 }, inputs: { image } }, test)
    const pixels = await readImage(test, out)
    expect(pixels.pixel(0, 0)[3]).toBe(0)
    expect(pixels.pixel(Math.floor(pixels.width / 2), Math.floor(pixels.height / 2))[3]).toBe(255)
  })

  it('validates params', () => {
    const parse = (params: unknown) => imageRotate.params.safeParse(params)
    expect(parse({}).data).toEqual({ angle: 90, background: '#00000000' })
    expect(parse({ angle: 12.5, background: 'rgb(0 0 0 / 50%)' }).success).toBe(true)
    for (const bad of [{ angle: Number.POSITIVE_INFINITY }, { angle: '90' }, { background: 'notacolour' }]) {
      expect(parse(bad).success, JSON.stringify(bad)).toBe(false)
    }
  })
})
