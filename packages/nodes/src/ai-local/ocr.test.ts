import type { AssetRef } from '@patchbay/core'
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { imageOcr, type OcrLine, pixelBox } from './ocr.ts'

/** Real inference; the first test also loads the models. */
const INFERENCE_TIMEOUT = 120_000
const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif'

/** Black text on white, each line `[text, x, baseline y, font size]`. */
async function textImage(
  width: number,
  height: number,
  lines: [string, number, number, number][],
  background = '#ffffff',
): Promise<Buffer> {
  const texts = lines
    .map(
      ([text, x, y, size]) =>
        `<text x="${x}" y="${y}" font-family="${FONT}" font-size="${size}" font-weight="bold" fill="#000000">${text}</text>`,
    )
    .join('')
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="${background}"/>${texts}</svg>`
  return sharp(Buffer.from(svg)).png().toBuffer()
}

describe('image.ocr', () => {
  let test: TestContext
  afterEach(async () => {
    await test.dispose()
  })

  async function stored(bytes: Uint8Array, mime = 'image/png'): Promise<AssetRef> {
    const { autoOrient } = await sharp(bytes).metadata()
    return test.ctx.assets.put(bytes, { mime, width: autoOrient.width, height: autoOrient.height })
  }

  it(
    'reads rendered text line by line, with pixel boxes',
    async () => {
      test = createTestContext()
      // 810×250: neither side a multiple of 32, so the padding path is used.
      const image = await stored(
        await textImage(810, 250, [
          ['PATCHBAY 2026', 40, 100, 64],
          ['Hello offline world', 40, 190, 48],
        ]),
      )
      const { text, lines } = await runNode(imageOcr, { inputs: { image } }, test)
      expect(text?.toLowerCase()).toContain('patchbay')
      expect(text).toContain('2026')
      expect(text?.toLowerCase()).toContain('offline')
      const parsed = lines as OcrLine[]
      expect(parsed).toHaveLength(2)
      expect(text).toBe(parsed.map((line) => line.text).join('\n'))
      const [first, second] = parsed
      expect(first?.text.toUpperCase().replaceAll(' ', '')).toBe('PATCHBAY2026')
      expect(first?.confidence).toBeGreaterThan(0.8)
      expect(first?.confidence).toBeLessThanOrEqual(1)
      // 64 px bold capitals on a baseline at y=100 from x=40: about 47 px tall, ~520 px wide.
      expect(first?.box.x).toBeGreaterThanOrEqual(30)
      expect(first?.box.x).toBeLessThanOrEqual(50)
      expect(first?.box.y).toBeGreaterThanOrEqual(40)
      expect(first?.box.y).toBeLessThanOrEqual(60)
      expect(first!.box.y + first!.box.height).toBeGreaterThanOrEqual(98)
      expect(first!.box.y + first!.box.height).toBeLessThanOrEqual(115)
      expect(first!.box.width).toBeGreaterThan(400)
      expect(second!.box.y).toBeGreaterThan(first!.box.y + first!.box.height - 5)
      expect(test.logs.some((log) => log.message === 'text recognised')).toBe(true)
    },
    INFERENCE_TIMEOUT,
  )

  it(
    'reads EXIF-rotated, transparent and large images in displayed pixels',
    async () => {
      test = createTestContext()
      // Stored sideways with orientation 6 (rotate 90° clockwise to display): shown 600×200.
      const sideways = await sharp(await textImage(600, 200, [['PATCHBAY 2026', 30, 120, 60]]))
        .rotate(-90)
        .withMetadata({ orientation: 6 })
        .jpeg({ quality: 95 })
        .toBuffer()
      const rotated = await runNode(imageOcr, { inputs: { image: await stored(sideways, 'image/jpeg') } }, test)
      expect(rotated.text?.toUpperCase().replaceAll(' ', '')).toBe('PATCHBAY2026')
      const [line] = rotated.lines as OcrLine[]
      expect(line?.box.x).toBeLessThan(45)
      expect(line!.box.width).toBeGreaterThan(300)
      expect(line!.box.y + line!.box.height).toBeLessThanOrEqual(200)

      // Black text on a fully transparent background is read as if on white.
      const transparent = await textImage(600, 200, [['PATCHBAY 2026', 30, 120, 60]], 'none')
      const clear = await runNode(imageOcr, { inputs: { image: await stored(transparent) } }, test)
      expect(clear.text?.toUpperCase().replaceAll(' ', '')).toBe('PATCHBAY2026')

      // 3000×600 is scaled to 2048×410 for detection; boxes come back in the original pixels.
      const large = await textImage(3000, 600, [['PATCHBAY 2026', 1000, 400, 200]])
      const wide = await runNode(imageOcr, { inputs: { image: await stored(large) } }, test)
      expect(wide.text?.toUpperCase().replaceAll(' ', '')).toBe('PATCHBAY2026')
      const [big] = wide.lines as OcrLine[]
      expect(big?.box.x).toBeGreaterThan(960)
      expect(big?.box.x).toBeLessThan(1040)
      expect(big!.box.y + big!.box.height).toBeGreaterThan(380)
      expect(big!.box.y + big!.box.height).toBeLessThan(440)
    },
    INFERENCE_TIMEOUT,
  )

  it(
    'returns no text for an image without any',
    async () => {
      test = createTestContext()
      const blank = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#ffffff' } })
        .png()
        .toBuffer()
      const out = await runNode(imageOcr, { inputs: { image: await stored(blank) } }, test)
      expect(out).toEqual({ text: '', lines: [] })
    },
    INFERENCE_TIMEOUT,
  )

  it('fails with INVALID_INPUT when the input is not an image', async () => {
    test = createTestContext()
    const video = await test.ctx.assets.put(new Uint8Array([0, 0, 0, 24]), { mime: 'video/mp4' })
    await expect(runNode(imageOcr, { inputs: { image: video } }, test)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    })
    await expect(runNode(imageOcr, { inputs: { image: 42 as unknown as AssetRef } }, test)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    })
  })

  it('fails with INVALID_IMAGE for bytes that are not an image', async () => {
    test = createTestContext()
    const garbage = await test.ctx.assets.put(new Uint8Array(64).fill(7), { mime: 'image/jpeg' })
    await expect(runNode(imageOcr, { inputs: { image: garbage } }, test)).rejects.toMatchObject({
      code: 'INVALID_IMAGE',
      retryable: false,
    })
  })

  it('does not start when the run is already cancelled', async () => {
    test = createTestContext()
    const image = await stored(await textImage(200, 100, [['HI', 10, 60, 40]]))
    test.controller.abort()
    await expect(runNode(imageOcr, { inputs: { image } }, test)).rejects.toMatchObject({ code: 'CANCELED' })
  })

  it('validates params: one language, confidence from 0.5 to 1', () => {
    expect(imageOcr.params.parse({})).toEqual({ language: 'ch', minConfidence: 0.5 })
    expect(() => imageOcr.params.parse({ language: 'fr' })).toThrow()
    expect(() => imageOcr.params.parse({ minConfidence: 0.3 })).toThrow()
    expect(() => imageOcr.params.parse({ minConfidence: 1.5 })).toThrow()
  })
})

describe('pixelBox', () => {
  it('takes the bounding rectangle, scales it back and keeps it inside the image', () => {
    const image = { scaleX: 0.5, scaleY: 0.5, width: 100, height: 60 }
    const rotated = [
      [10.2, 5],
      [40, 4.5],
      [40.6, 20],
      [10, 21],
    ]
    expect(pixelBox(rotated, image)).toEqual({ x: 20, y: 9, width: 62, height: 33 })
    expect(
      pixelBox(
        [
          [-3, -1],
          [70, -1],
          [70, 40],
          [-3, 40],
        ],
        image,
      ),
    ).toEqual({ x: 0, y: 0, width: 100, height: 60 })
  })
})
