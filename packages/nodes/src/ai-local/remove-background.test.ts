import type { AssetRef } from '@patchbay/core'
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { localPackageSuiteEnabled } from '../testing/local-packages.ts'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { imageRemoveBackground } from './remove-background.ts'

/** Real inference on two CPU cores takes several seconds per image, plus a model load. */
const INFERENCE_TIMEOUT = 120_000
const WIDTH = 400
const HEIGHT = 300

/** A red disc (the object) on a plain light grey background. */
async function discImage(cx = 200): Promise<Uint8Array> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">
    <rect width="100%" height="100%" fill="#e6e6e6"/>
    <circle cx="${cx}" cy="150" r="90" fill="#d02020"/>
  </svg>`
  return new Uint8Array(await sharp(Buffer.from(svg)).png().toBuffer())
}

/** Decodes an image to raw pixels with a reader for one channel of one pixel. */
async function raw(bytes: Uint8Array) {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true })
  return {
    info,
    at: (x: number, y: number, channel: number) => data[(y * info.width + x) * info.channels + channel] ?? -1,
  }
}

const inside = [
  [200, 150],
  [150, 150],
  [250, 150],
  [200, 90],
  [200, 210],
] as const
const corners = [
  [0, 0],
  [WIDTH - 1, 0],
  [0, HEIGHT - 1],
  [WIDTH - 1, HEIGHT - 1],
  [20, 150],
] as const

const withPackage = localPackageSuiteEnabled('@imgly/background-removal-node', 'image.removeBackground')

describe.skipIf(!withPackage)('image.removeBackground', () => {
  let test: TestContext
  afterEach(async () => {
    await test.dispose()
  })

  it(
    'makes the background transparent and outputs the mask (medium model)',
    async () => {
      test = createTestContext()
      const image = await test.ctx.assets.put(await discImage(), { mime: 'image/png', width: WIDTH, height: HEIGHT })
      const out = await runNode(imageRemoveBackground, { inputs: { image } }, test)
      expect(out.image).toMatchObject({ kind: 'image', mime: 'image/png', width: WIDTH, height: HEIGHT })
      expect(out.mask).toMatchObject({ kind: 'image', mime: 'image/png', width: WIDTH, height: HEIGHT })

      const cutout = await raw(await test.ctx.assets.read(out.image!))
      expect([cutout.info.width, cutout.info.height, cutout.info.channels]).toEqual([WIDTH, HEIGHT, 4])
      const maskBytes = await test.ctx.assets.read(out.mask!)
      expect(await sharp(maskBytes).metadata()).toMatchObject({ format: 'png', channels: 1, space: 'b-w' })
      const mask = await raw(maskBytes)
      for (const [x, y] of inside) {
        expect(mask.at(x, y, 0), `mask at ${x},${y}`).toBeGreaterThan(200)
        expect(cutout.at(x, y, 3), `alpha at ${x},${y}`).toBeGreaterThan(200)
        // the colour is kept
        expect([cutout.at(x, y, 0), cutout.at(x, y, 1), cutout.at(x, y, 2)]).toEqual([0xd0, 0x20, 0x20])
      }
      for (const [x, y] of corners) {
        expect(mask.at(x, y, 0), `mask at ${x},${y}`).toBeLessThan(30)
        expect(cutout.at(x, y, 3), `alpha at ${x},${y}`).toBeLessThan(30)
      }
      expect(test.logs.some((log) => log.message === 'background removed')).toBe(true)
    },
    INFERENCE_TIMEOUT,
  )

  it(
    'keeps what is already transparent in the input transparent',
    async () => {
      test = createTestContext()
      // The disc with the left half of the picture made transparent.
      const { data } = await sharp(await discImage())
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true })
      for (let y = 0; y < HEIGHT; y++) for (let x = 0; x < WIDTH / 2; x++) data[(y * WIDTH + x) * 4 + 3] = 0
      const png = await sharp(data, { raw: { width: WIDTH, height: HEIGHT, channels: 4 } })
        .png()
        .toBuffer()
      const image = await test.ctx.assets.put(png, { mime: 'image/png', width: WIDTH, height: HEIGHT })
      const out = await runNode(imageRemoveBackground, { inputs: { image } }, test)
      const cutout = await raw(await test.ctx.assets.read(out.image!))
      expect(cutout.at(150, 150, 3)).toBe(0)
      expect(cutout.at(250, 150, 3)).toBeGreaterThan(200)
      expect(cutout.at(390, 10, 3)).toBeLessThan(30)
    },
    INFERENCE_TIMEOUT,
  )

  it(
    'works with the small model on an EXIF-rotated JPEG, in displayed orientation',
    async () => {
      test = createTestContext()
      // Displayed 400×300 with the disc left of centre; stored 300×400 tagged "rotate 90° clockwise".
      const rotated = await sharp(await discImage(130))
        .rotate(-90)
        .withMetadata({ orientation: 6 })
        .jpeg({ quality: 95 })
        .toBuffer()
      const image = await test.ctx.assets.put(rotated, { mime: 'image/jpeg', width: WIDTH, height: HEIGHT })
      const out = await runNode(imageRemoveBackground, { params: { model: 'small' }, inputs: { image } }, test)
      expect(out.image).toMatchObject({ width: WIDTH, height: HEIGHT })
      expect(out.mask).toMatchObject({ width: WIDTH, height: HEIGHT })
      const mask = await raw(await test.ctx.assets.read(out.mask!))
      expect([mask.info.width, mask.info.height]).toEqual([WIDTH, HEIGHT])
      expect(mask.at(130, 150, 0)).toBeGreaterThan(200)
      expect(mask.at(100, 150, 0)).toBeGreaterThan(200)
      // The quantised small model speckles flat backgrounds (about 85 on average here), so only
      // check that the background reads as background on the whole.
      let background = 0
      for (let y = 0; y < HEIGHT; y += 10) for (let x = 260; x < WIDTH; x += 10) background += mask.at(x, y, 0)
      expect(background / ((HEIGHT / 10) * ((WIDTH - 260) / 10))).toBeLessThan(128)
    },
    INFERENCE_TIMEOUT,
  )

  it('fails with INVALID_INPUT when the input is not an image', async () => {
    test = createTestContext()
    const audio = await test.ctx.assets.put(new Uint8Array([1, 2, 3]), { mime: 'audio/wav' })
    await expect(runNode(imageRemoveBackground, { inputs: { image: audio } }, test)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    })
    await expect(
      runNode(imageRemoveBackground, { inputs: { image: 'a cat' as unknown as AssetRef } }, test),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })

  it('fails with INVALID_IMAGE for bytes that are not an image', async () => {
    test = createTestContext()
    const garbage = await test.ctx.assets.put(new TextEncoder().encode('definitely not a PNG'), { mime: 'image/png' })
    await expect(runNode(imageRemoveBackground, { inputs: { image: garbage } }, test)).rejects.toMatchObject({
      code: 'INVALID_IMAGE',
      retryable: false,
    })
  })

  it('rejects models the package does not ship', () => {
    expect(() => imageRemoveBackground.params.parse({ model: 'large' })).toThrow()
    expect(imageRemoveBackground.params.parse({})).toEqual({ model: 'medium' })
  })

  it('does not start when the run is already cancelled', async () => {
    test = createTestContext()
    const image = await test.ctx.assets.put(await discImage(), { mime: 'image/png', width: WIDTH, height: HEIGHT })
    test.controller.abort()
    await expect(runNode(imageRemoveBackground, { inputs: { image } }, test)).rejects.toMatchObject({
      code: 'CANCELED',
    })
    expect(test.stored).toHaveLength(1)
  })
})
