import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { decodePixels, isColour, splitImage } from '../testing/test-images.ts'
import { imageCrop, pixelRect } from './crop.ts'

describe('image.crop', () => {
  let test: TestContext
  afterEach(async () => {
    await test.dispose()
  })

  async function stored(bytes: Uint8Array, mime = 'image/png') {
    const { width, height } = await sharp(bytes).metadata()
    return test.ctx.assets.put(bytes, { mime, width, height })
  }

  it('crops the red left half of a 100×50 image to 50×50 red pixels', async () => {
    test = createTestContext()
    const image = await stored(await splitImage({ width: 100, height: 50 }))
    const { image: out } = await runNode(imageCrop, { params: { width: 0.5 }, inputs: { image } }, test)
    expect(out).toMatchObject({ kind: 'image', mime: 'image/png', width: 50, height: 50 })
    const pixels = await decodePixels(await test.ctx.assets.read(out!))
    expect([pixels.width, pixels.height, pixels.format]).toEqual([50, 50, 'png'])
    for (const [x, y] of [
      [0, 0],
      [49, 0],
      [25, 25],
      [0, 49],
      [49, 49],
    ] as const) {
      expect(isColour(pixels.pixel(x, y), 'red', 0)).toBe(true)
    }
    expect(out!.bytes).toBe((await test.ctx.assets.read(out!)).byteLength)
  })

  it('crops the blue right half, and an inner rectangle across the boundary', async () => {
    test = createTestContext()
    const image = await stored(await splitImage({ width: 100, height: 50 }))
    const right = await runNode(imageCrop, { params: { x: 0.5, width: 0.5 }, inputs: { image } }, test)
    const rightPixels = await decodePixels(await test.ctx.assets.read(right.image!))
    expect(isColour(rightPixels.pixel(0, 0), 'blue', 0)).toBe(true)
    expect(isColour(rightPixels.pixel(49, 49), 'blue', 0)).toBe(true)

    const inner = await runNode(
      imageCrop,
      { params: { x: 0.4, y: 0.2, width: 0.2, height: 0.6 }, inputs: { image } },
      test,
    )
    const innerPixels = await decodePixels(await test.ctx.assets.read(inner.image!))
    expect([innerPixels.width, innerPixels.height]).toEqual([20, 30])
    expect(isColour(innerPixels.pixel(9, 15), 'red', 0)).toBe(true)
    expect(isColour(innerPixels.pixel(10, 15), 'blue', 0)).toBe(true)
  })

  it('keeps the input format', async () => {
    test = createTestContext()
    const image = await stored(await splitImage({ width: 80, height: 40, format: 'jpeg' }), 'image/jpeg')
    const { image: out } = await runNode(imageCrop, { params: { width: 0.25 }, inputs: { image } }, test)
    expect(out).toMatchObject({ mime: 'image/jpeg', width: 20, height: 40 })
    const pixels = await decodePixels(await test.ctx.assets.read(out!))
    expect(pixels.format).toBe('jpeg')
    expect(isColour(pixels.pixel(10, 20), 'red')).toBe(true)
  })

  it('works in displayed coordinates for images with an EXIF orientation', async () => {
    test = createTestContext()
    // Stored 200×100 (red left, blue right), shown rotated 90° clockwise: 100×200, red on top.
    const buffer = await sharp(await splitImage({ width: 200, height: 100, format: 'jpeg' }))
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer()
    const image = await test.ctx.assets.put(buffer, { mime: 'image/jpeg', width: 100, height: 200 })
    const { image: out } = await runNode(imageCrop, { params: { height: 0.5 }, inputs: { image } }, test)
    expect(out).toMatchObject({ width: 100, height: 100 })
    const pixels = await decodePixels(await test.ctx.assets.read(out!))
    expect(isColour(pixels.pixel(50, 50), 'red')).toBe(true)
  })

  it('fails clearly when the crop rounds to zero pixels', async () => {
    test = createTestContext()
    const image = await stored(await splitImage({ width: 100, height: 50 }))
    const run = runNode(imageCrop, { params: { x: 0.5, width: 0.004 }, inputs: { image } }, test)
    await expect(run).rejects.toMatchObject({ code: 'EMPTY_CROP', retryable: false })
    await expect(run).rejects.toThrow('the crop is 0×50 pixels of a 100×50 image')
  })

  it('fails with a non-retryable INVALID_IMAGE on damaged bytes', async () => {
    test = createTestContext()
    const png = await splitImage({ width: 100, height: 50 })
    const image = await test.ctx.assets.put(png.slice(0, 60), { mime: 'image/png', width: 100, height: 50 })
    const run = runNode(imageCrop, { params: { width: 0.5 }, inputs: { image } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_IMAGE', retryable: false })
  })

  it('rejects a non-image input clearly', async () => {
    test = createTestContext()
    const notImage = { assetId: 'a', kind: 'audio', mime: 'audio/mpeg', bytes: 1, sha256: 'f'.repeat(64) } as const
    const run = runNode(imageCrop, { params: {}, inputs: { image: notImage } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_INPUT', retryable: false })
  })

  it('validates params: fractions within the image, positive size', () => {
    const parse = (params: unknown) => imageCrop.params.safeParse(params)
    expect(parse({}).data).toEqual({ x: 0, y: 0, width: 1, height: 1 })
    expect(parse({ x: 0.7, width: 0.3, y: 0.1, height: 0.9 }).success).toBe(true)
    const tooWide = parse({ x: 0.6, width: 0.5 })
    expect(tooWide.error?.issues).toEqual([
      expect.objectContaining({ path: ['width'], message: expect.stringContaining('x + width must not exceed 1') }),
    ])
    const tooTall = parse({ y: 0.5, height: 0.51 })
    expect(tooTall.error?.issues[0]).toMatchObject({ path: ['height'], message: expect.stringContaining('y + height') })
    for (const bad of [{ width: 0 }, { height: 0 }, { x: -0.1 }, { y: 1.2 }, { width: 1.5 }, { x: '0.1' }]) {
      expect(parse(bad).success).toBe(false)
    }
  })

  it('rounds edges so neighbouring crops tile exactly', () => {
    const size = { width: 100, height: 50 }
    const a = pixelRect({ x: 0, y: 0, width: 1 / 3, height: 1 }, size)
    const b = pixelRect({ x: 1 / 3, y: 0, width: 1 / 3, height: 1 }, size)
    const c = pixelRect({ x: 2 / 3, y: 0, width: 1 / 3, height: 1 }, size)
    expect([a.left, a.width, b.left, b.width, c.left, c.width]).toEqual([0, 33, 33, 34, 67, 33])
    expect(pixelRect({ x: 0.7, y: 0, width: 0.3 + 1e-12, height: 1 }, size)).toEqual({
      left: 70,
      top: 0,
      width: 30,
      height: 50,
    })
  })
})
