import { afterEach, describe, expect, it } from 'vitest'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { splitImage } from '../testing/test-images.ts'
import { imageConvert } from './convert.ts'
import { expectPixel, readImage, solidImage, storeImage } from './test-fixtures.ts'

describe('image.convert', () => {
  let test: TestContext
  afterEach(async () => {
    await test.dispose()
  })

  it('re-encodes into each format with the matching MIME type, keeping size and pixels', async () => {
    test = createTestContext()
    const image = await storeImage(test, await splitImage({ width: 64, height: 32 }))
    const formats = { png: 'png', jpeg: 'jpeg', webp: 'webp', avif: 'heif', gif: 'gif', tiff: 'tiff' } as const
    for (const [format, decoder] of Object.entries(formats)) {
      const { image: out } = await runNode(
        imageConvert,
        { params: { format: format as keyof typeof formats }, inputs: { image } },
        test,
      )
      expect(out, format).toMatchObject({ kind: 'image', mime: `image/${format}`, width: 64, height: 32 })
      const pixels = await readImage(test, out)
      expect([pixels.format, pixels.width, pixels.height], format).toEqual([decoder, 64, 32])
      expectPixel(pixels.pixel(8, 16), [255, 0, 0], 40)
      expectPixel(pixels.pixel(56, 16), [0, 0, 255], 40)
    }
  })

  it('uses quality for lossy formats: lower quality, fewer bytes', async () => {
    test = createTestContext()
    const image = await storeImage(
      test,
      await splitImage({ width: 256, height: 256, left: '#123456', right: '#abcdef' }),
    )
    const convert = (quality: number) =>
      runNode(imageConvert, { params: { format: 'jpeg', quality }, inputs: { image } }, test).then((out) => out.image!)
    expect((await convert(5)).bytes).toBeLessThan((await convert(95)).bytes)
    const png = await runNode(imageConvert, { params: { format: 'png', quality: 5 }, inputs: { image } }, test)
    expectPixel((await readImage(test, png.image)).pixel(10, 10), [0x12, 0x34, 0x56], 0)
  })

  it('flattens transparency onto white for JPEG', async () => {
    test = createTestContext()
    const image = await storeImage(test, await solidImage(10, 10, '#00000000'))
    const { image: out } = await runNode(imageConvert, { params: { format: 'jpeg' }, inputs: { image } }, test)
    expectPixel((await readImage(test, out)).pixel(5, 5), [255, 255, 255, 255], 2)
  })

  it('validates params', () => {
    const parse = (params: unknown) => imageConvert.params.safeParse(params)
    expect(parse({ format: 'webp' }).data).toEqual({ format: 'webp' })
    for (const bad of [{}, { format: 'bmp' }, { format: 'jpeg', quality: 0 }, { format: 'jpeg', quality: 101 }]) {
      expect(parse(bad).success, JSON.stringify(bad)).toBe(false)
    }
  })
})
