import { afterEach, describe, expect, it } from 'vitest'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { decodePixels, isColour, splitImage } from '../testing/test-images.ts'
import { imageResize } from './resize.ts'

describe('image.resize', () => {
  let test: TestContext
  afterEach(async () => {
    await test.dispose()
  })

  async function source(format: 'png' | 'webp' | 'gif' = 'png') {
    const bytes = await splitImage({ width: 100, height: 50, format })
    return test.ctx.assets.put(bytes, { mime: `image/${format}`, width: 100, height: 50 })
  }

  it('keeps the aspect ratio when only one side is given', async () => {
    test = createTestContext()
    const image = await source()
    const byWidth = await runNode(imageResize, { params: { width: 50 }, inputs: { image } }, test)
    expect(byWidth.image).toMatchObject({ kind: 'image', mime: 'image/png', width: 50, height: 25 })
    const byHeight = await runNode(imageResize, { params: { height: 100 }, inputs: { image } }, test)
    expect(byHeight.image).toMatchObject({ width: 200, height: 100 })
    const pixels = await decodePixels(await test.ctx.assets.read(byHeight.image!))
    expect([pixels.width, pixels.height]).toEqual([200, 100])
    expect(isColour(pixels.pixel(10, 50), 'red')).toBe(true)
    expect(isColour(pixels.pixel(190, 50), 'blue')).toBe(true)
  })

  it('applies each fit mode to a 40×40 box', async () => {
    test = createTestContext()
    const image = await source()
    const sizes: Record<string, [number, number]> = {
      cover: [40, 40],
      contain: [40, 40],
      fill: [40, 40],
      inside: [40, 20],
      outside: [80, 40],
    }
    for (const [fit, [width, height]] of Object.entries(sizes)) {
      const params = { width: 40, height: 40, fit: fit as 'cover' }
      const { image: out } = await runNode(imageResize, { params, inputs: { image } }, test)
      expect(out, fit).toMatchObject({ width, height })
      const pixels = await decodePixels(await test.ctx.assets.read(out!))
      expect([pixels.width, pixels.height], fit).toEqual([width, height])
    }
  })

  it('cover crops the centre; the default fit is cover', async () => {
    test = createTestContext()
    const image = await source()
    const { image: out } = await runNode(imageResize, { params: { width: 40, height: 40 }, inputs: { image } }, test)
    const pixels = await decodePixels(await test.ctx.assets.read(out!))
    expect(isColour(pixels.pixel(2, 20), 'red')).toBe(true)
    expect(isColour(pixels.pixel(37, 20), 'blue')).toBe(true)
  })

  it('keeps the input format', async () => {
    test = createTestContext()
    for (const format of ['webp', 'gif'] as const) {
      const image = await source(format)
      const { image: out } = await runNode(imageResize, { params: { width: 20 }, inputs: { image } }, test)
      expect(out?.mime).toBe(`image/${format}`)
      expect((await decodePixels(await test.ctx.assets.read(out!))).format).toBe(format)
    }
  })

  it('fails with a non-retryable INVALID_IMAGE on bytes that are not an image', async () => {
    test = createTestContext()
    const image = await test.ctx.assets.put(new TextEncoder().encode('<html>nope</html>'), { mime: 'image/png' })
    const run = runNode(imageResize, { params: { width: 10 }, inputs: { image } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_IMAGE', retryable: false })
  })

  it('validates params', () => {
    const parse = (params: unknown) => imageResize.params.safeParse(params)
    expect(parse({ width: 10 }).data).toEqual({ width: 10, fit: 'cover' })
    expect(parse({}).error?.issues[0]?.message).toBe('set "width", "height" or both')
    for (const bad of [{ width: 0 }, { height: -5 }, { width: 10.5 }, { width: 10, fit: 'stretch' }, { width: 1e6 }]) {
      expect(parse(bad).success).toBe(false)
    }
  })
})
