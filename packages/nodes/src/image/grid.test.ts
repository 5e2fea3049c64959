import { afterEach, describe, expect, it } from 'vitest'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { imageGrid } from './grid.ts'
import { audioRef, expectPixel, readImage, solidImage, storeImage } from './test-fixtures.ts'

const red = [255, 0, 0]
const green = [0, 255, 0]
const blue = [0, 0, 255]
const white = [255, 255, 255]
const magenta = [255, 0, 255]

describe('image.grid', () => {
  let test: TestContext
  afterEach(async () => {
    await test.dispose()
  })

  function solid(colour: string, width = 20, height = width, format: 'png' | 'jpeg' = 'png') {
    return solidImage(width, height, colour, format).then((bytes) => storeImage(test, bytes))
  }

  it('lays 4 images out 2×2, row by row in input order', async () => {
    test = createTestContext()
    const images = [await solid('#ff0000'), await solid('#00ff00'), await solid('#0000ff'), await solid('#ffffff')]
    const { image: out } = await runNode(imageGrid, { params: { cellWidth: 50 }, inputs: { images } }, test)
    expect(out).toMatchObject({ mime: 'image/png', width: 100, height: 100 })
    const pixels = await readImage(test, out)
    expectPixel(pixels.pixel(25, 25), red, 0)
    expectPixel(pixels.pixel(75, 25), green, 0)
    expectPixel(pixels.pixel(25, 75), blue, 0)
    expectPixel(pixels.pixel(75, 75), white, 0)
  })

  it('separates cells by gap on the background and leaves missing cells empty', async () => {
    test = createTestContext()
    const images = [await solid('#ff0000'), await solid('#00ff00'), await solid('#0000ff')]
    const params = { cellWidth: 30, gap: 10, background: '#ff00ff' }
    const { image: out } = await runNode(imageGrid, { params, inputs: { images } }, test)
    // ⌈√3⌉ = 2 columns, 2 rows: 2·30 + 10 on each side.
    expect(out).toMatchObject({ width: 70, height: 70 })
    const pixels = await readImage(test, out)
    expectPixel(pixels.pixel(35, 10), magenta, 0)
    expectPixel(pixels.pixel(10, 35), magenta, 0)
    expectPixel(pixels.pixel(45, 10), green, 0)
    expectPixel(pixels.pixel(10, 45), blue, 0)
    expectPixel(pixels.pixel(55, 55), magenta, 0)

    const row = await runNode(imageGrid, { params: { ...params, columns: 3 }, inputs: { images } }, test)
    expect(row.image).toMatchObject({ width: 110, height: 30 })
  })

  it('takes the cell height from the first image, letterboxes with contain and crops with cover', async () => {
    test = createTestContext()
    const images = [await solid('#ff0000', 40, 20), await solid('#0000ff', 20, 20)]
    const params = { cellWidth: 40, columns: 2, background: '#ffffff' }
    const contain = await runNode(imageGrid, { params, inputs: { images } }, test)
    expect(contain.image).toMatchObject({ width: 80, height: 20 })
    const containPixels = await readImage(test, contain.image)
    expectPixel(containPixels.pixel(20, 10), red, 0)
    expectPixel(containPixels.pixel(42, 10), white, 0)
    expectPixel(containPixels.pixel(60, 10), blue, 0)

    const cover = await runNode(
      imageGrid,
      { params: { ...params, fit: 'cover', cellHeight: 40 }, inputs: { images } },
      test,
    )
    expect(cover.image).toMatchObject({ width: 80, height: 40 })
    const coverPixels = await readImage(test, cover.image)
    expectPixel(coverPixels.pixel(2, 2), red, 0)
    expectPixel(coverPixels.pixel(42, 38), blue, 0)
  })

  it('writes the sheet in the first image’s format', async () => {
    test = createTestContext()
    const images = [await solid('#ff0000', 20, 20, 'jpeg'), await solid('#0000ff')]
    const { image: out } = await runNode(imageGrid, { params: { cellWidth: 20 }, inputs: { images } }, test)
    expect(out?.mime).toBe('image/jpeg')
    expectPixel((await readImage(test, out)).pixel(30, 10), blue, 10)
  })

  it('refuses a sheet over 16384 pixels and inputs that are not images', async () => {
    test = createTestContext()
    const images = [await solid('#ff0000'), await solid('#00ff00')]
    const big = runNode(imageGrid, { params: { cellWidth: 9000 }, inputs: { images } }, test)
    await expect(big).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE', retryable: false })
    const mixed = runNode(imageGrid, { inputs: { images: [images[0]!, audioRef] } }, test)
    await expect(mixed).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('images[1]') })
    await expect(runNode(imageGrid, { inputs: { images: [] } }, test)).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })

  it('validates params', () => {
    const parse = (params: unknown) => imageGrid.params.safeParse(params)
    expect(parse({}).data).toEqual({ cellWidth: 256, gap: 0, background: '#000000', fit: 'contain' })
    for (const bad of [
      { columns: 0 },
      { cellWidth: 0 },
      { cellWidth: 20000 },
      { gap: -1 },
      { fit: 'fill' },
      { background: 'blurple' },
    ]) {
      expect(parse(bad).success, JSON.stringify(bad)).toBe(false)
    }
  })
})
