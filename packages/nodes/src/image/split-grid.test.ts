import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { splitImage } from '../testing/test-images.ts'
import { imageSplitGrid, spans } from './split-grid.ts'
import { expectPixel, readImage, redCornerImage, storeImage } from './test-fixtures.ts'

describe('image.splitGrid', () => {
  let test: TestContext
  afterEach(async () => {
    await test.dispose()
  })

  it('cuts 2 rows × 3 columns row by row, covering the image exactly', async () => {
    test = createTestContext()
    // 101×51 does not divide evenly: the last column and row take the extra pixels.
    const image = await storeImage(test, await redCornerImage(101, 51))
    const { images } = await runNode(imageSplitGrid, { params: { rows: 2, columns: 3 }, inputs: { image } }, test)
    expect(images).toHaveLength(6)
    const sizes = images!.map((tile) => [tile.width, tile.height])
    expect(sizes).toEqual([
      [33, 25],
      [33, 25],
      [35, 25],
      [33, 26],
      [33, 26],
      [35, 26],
    ])
    const first = await readImage(test, images![0])
    expect([first.width, first.height, first.format]).toEqual([33, 25, 'png'])
    expectPixel(first.pixel(0, 0), [255, 0, 0], 0)
    expectPixel(first.pixel(32, 24), [255, 0, 0], 0)
    // The red corner is 50×25: the second tile (x 33–65) is red up to x 49, then blue.
    const second = await readImage(test, images![1])
    expectPixel(second.pixel(16, 10), [255, 0, 0], 0)
    expectPixel(second.pixel(17, 10), [0, 0, 255], 0)
    const last = await readImage(test, images![5])
    expectPixel(last.pixel(34, 25), [0, 0, 255], 0)
  })

  it('works in displayed coordinates and keeps the format', async () => {
    test = createTestContext()
    // Stored 40×20 with red on the left, shown turned 90° clockwise: 20×40 with red on top.
    const rotated = await sharp(await splitImage({ width: 40, height: 20, format: 'jpeg' }))
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer()
    const image = await test.ctx.assets.put(rotated, { mime: 'image/jpeg', width: 20, height: 40 })
    const { images } = await runNode(imageSplitGrid, { params: { rows: 2, columns: 1 }, inputs: { image } }, test)
    expect(images?.map((tile) => [tile.mime, tile.width, tile.height])).toEqual([
      ['image/jpeg', 20, 20],
      ['image/jpeg', 20, 20],
    ])
    expectPixel((await readImage(test, images![0])).pixel(10, 10), [255, 0, 0], 40)
    expectPixel((await readImage(test, images![1])).pixel(10, 10), [0, 0, 255], 40)
  })

  it('fails with EMPTY_CROP when a tile would be narrower than a pixel', async () => {
    test = createTestContext()
    const image = await storeImage(test, await redCornerImage(3, 10))
    const run = runNode(imageSplitGrid, { params: { rows: 1, columns: 4 }, inputs: { image } }, test)
    await expect(run).rejects.toMatchObject({ code: 'EMPTY_CROP', retryable: false })
    await expect(run).rejects.toThrow('a 3×10 image cannot be split into 1 rows and 4 columns')
  })

  it('validates params and spans', () => {
    const parse = (params: unknown) => imageSplitGrid.params.safeParse(params)
    expect(parse({}).data).toEqual({ rows: 2, columns: 2 })
    for (const bad of [{ rows: 0 }, { columns: 65 }, { rows: 1.5 }]) expect(parse(bad).success).toBe(false)
    expect(spans(10, 4)).toEqual([
      { start: 0, size: 2 },
      { start: 2, size: 2 },
      { start: 4, size: 2 },
      { start: 6, size: 4 },
    ])
  })
})
