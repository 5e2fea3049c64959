import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { splitImage } from '../testing/test-images.ts'
import { imageInfo } from './info.ts'
import { solidImage, storeImage } from './test-fixtures.ts'

describe('image.info', () => {
  let test: TestContext
  afterEach(async () => {
    await test.dispose()
  })

  it('reports size, format, channels, alpha and byte size', async () => {
    test = createTestContext()
    const bytes = await solidImage(30, 20, '#ff000080')
    const image = await storeImage(test, bytes)
    const out = await runNode(imageInfo, { inputs: { image } }, test)
    expect(out).toEqual({
      info: {
        width: 30,
        height: 20,
        format: 'png',
        mime: 'image/png',
        channels: 4,
        hasAlpha: true,
        bytes: bytes.byteLength,
      },
      width: 30,
      height: 20,
    })
  })

  it('reports the displayed size of a rotated JPEG, its density, and AVIF by name', async () => {
    test = createTestContext()
    const jpeg = await sharp(await splitImage({ width: 40, height: 20, format: 'jpeg' }))
      .withMetadata({ orientation: 6, density: 300 })
      .jpeg()
      .toBuffer()
    const rotated = await runNode(imageInfo, { inputs: { image: await storeImage(test, jpeg) } }, test)
    expect(rotated).toMatchObject({
      info: { width: 20, height: 40, format: 'jpeg', mime: 'image/jpeg', channels: 3, hasAlpha: false, density: 300 },
      width: 20,
      height: 40,
    })

    const avif = await runNode(
      imageInfo,
      { inputs: { image: await storeImage(test, await solidImage(8, 8, '#123', 'avif')) } },
      test,
    )
    expect(avif.info).toMatchObject({ format: 'avif', mime: 'image/avif' })
  })
})
