import type { AssetRef } from '@patchbay/core'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { readImage, solidImage, storeImage } from './test-fixtures.ts'
import { escapeXml, imageText } from './text.ts'

type Box = { left: number; top: number; right: number; bottom: number; inked: number }

describe('image.text', () => {
  let test: TestContext
  afterEach(async () => {
    await test.dispose()
  })

  function blackImage(width = 200, height = 100) {
    return solidImage(width, height, '#000000').then((bytes) => storeImage(test, bytes))
  }

  /** The bounding box of pixels that are not black, and how many there are. */
  async function inkBox(ref: AssetRef | undefined): Promise<Box> {
    const pixels = await readImage(test, ref)
    const box = { left: Number.POSITIVE_INFINITY, top: Number.POSITIVE_INFINITY, right: -1, bottom: -1, inked: 0 }
    for (let y = 0; y < pixels.height; y++) {
      for (let x = 0; x < pixels.width; x++) {
        const [r, g, b] = pixels.pixel(x, y)
        if (r + g + b < 60) continue
        box.inked++
        box.left = Math.min(box.left, x)
        box.right = Math.max(box.right, x)
        box.top = Math.min(box.top, y)
        box.bottom = Math.max(box.bottom, y)
      }
    }
    return box
  }

  it('draws the text centred on (x, y) at a font size that is a fraction of the height', async () => {
    test = createTestContext()
    const image = await blackImage()
    const params = { text: 'HHHH', size: 0.2, x: 0.5, y: 0.5 }
    const { image: out } = await runNode(imageText, { params, inputs: { image } }, test)
    expect(out).toMatchObject({ mime: 'image/png', width: 200, height: 100 })
    const box = await inkBox(out)
    expect(box.inked).toBeGreaterThan(100)
    expect(Math.abs((box.left + box.right) / 2 - 100)).toBeLessThanOrEqual(3)
    expect(Math.abs((box.top + box.bottom) / 2 - 50)).toBeLessThanOrEqual(3)
    // Capital H is about 0.73 em tall: 20 px × 0.73 ≈ 15.
    expect(box.bottom - box.top).toBeGreaterThan(10)
    expect(box.bottom - box.top).toBeLessThan(20)
  })

  it('places the same params at the same relative spot on a larger image', async () => {
    test = createTestContext()
    const params = { text: 'Hi', x: 0.25, y: 0.25, size: 0.1 }
    const small = await inkBox(
      (await runNode(imageText, { params, inputs: { image: await blackImage() } }, test)).image,
    )
    const large = await inkBox(
      (await runNode(imageText, { params, inputs: { image: await blackImage(400, 200) } }, test)).image,
    )
    expect(Math.abs(large.left - 2 * small.left)).toBeLessThanOrEqual(3)
    expect(Math.abs(large.top - 2 * small.top)).toBeLessThanOrEqual(3)
    expect(Math.abs(large.bottom - large.top - 2 * (small.bottom - small.top))).toBeLessThanOrEqual(3)
  })

  it('aligns the left or right edge of the text to x', async () => {
    test = createTestContext()
    const image = await blackImage()
    const left = await inkBox(
      (await runNode(imageText, { params: { text: 'Left', x: 0.1, align: 'left' }, inputs: { image } }, test)).image,
    )
    expect(left.left).toBeGreaterThanOrEqual(19)
    expect(left.left).toBeLessThanOrEqual(23)
    const right = await inkBox(
      (await runNode(imageText, { params: { text: 'Right', x: 0.9, align: 'right' }, inputs: { image } }, test)).image,
    )
    expect(right.right).toBeGreaterThanOrEqual(176)
    expect(right.right).toBeLessThanOrEqual(180)
    // The default y = 0.9 puts a caption near the bottom.
    expect(right.top).toBeGreaterThan(80)
  })

  it('escapes XML, so markup in the text is drawn as characters and cannot paint the image', async () => {
    test = createTestContext()
    const image = await blackImage()
    const text = `<&>"' </text><rect width="200" height="100" fill="red"/>\u0001`
    const { image: out } = await runNode(imageText, { params: { text, size: 0.05, y: 0.5 }, inputs: { image } }, test)
    const box = await inkBox(out)
    expect(box.inked).toBeGreaterThan(50)
    expect(box.top).toBeGreaterThan(40)
    expect(box.bottom).toBeLessThan(60)
    expect(escapeXml(`a<b>&"c'\u0000\uD800`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;')
  })

  it('draws each line on its own row and an outline in strokeColor', async () => {
    test = createTestContext()
    const image = await blackImage()
    const params = { text: 'A\nB', y: 0.5, size: 0.2, color: '#ff0000', strokeColor: '#00ff00', strokeWidth: 4 }
    const { image: out } = await runNode(imageText, { params, inputs: { image } }, test)
    const box = await inkBox(out)
    // Two lines 1.2 × 20 px apart, each about 15 px tall.
    expect(box.bottom - box.top).toBeGreaterThan(36)
    const pixels = await readImage(test, out)
    let green = 0
    let red = 0
    for (let y = box.top; y <= box.bottom; y++) {
      for (let x = box.left; x <= box.right; x++) {
        const [r, g] = pixels.pixel(x, y)
        if (g > 200 && r < 50) green++
        if (r > 200 && g < 50) red++
      }
    }
    expect(green).toBeGreaterThan(20)
    expect(red).toBeGreaterThan(20)
  })

  it('prefers the text input over the param, passes empty text through, and needs some text', async () => {
    test = createTestContext()
    const image = await blackImage()
    const fromInput = await runNode(imageText, { params: { text: '' }, inputs: { image, text: 'Input' } }, test)
    expect((await inkBox(fromInput.image)).inked).toBeGreaterThan(50)
    const empty = await runNode(imageText, { params: { text: 'ignored' }, inputs: { image, text: '' } }, test)
    expect(empty.image).toBe(image)
    await expect(runNode(imageText, { inputs: { image } }, test)).rejects.toMatchObject({
      code: 'MISSING_TEXT',
      retryable: false,
    })
  })

  it('validates params', () => {
    const parse = (params: unknown) => imageText.params.safeParse(params)
    expect(parse({}).data).toEqual({
      font: 'sans-serif',
      size: 0.08,
      color: '#ffffff',
      x: 0.5,
      y: 0.9,
      align: 'center',
    })
    expect(parse({ color: 'orange', strokeColor: '#0008', strokeWidth: 3 }).success).toBe(true)
    for (const bad of [
      { size: 0.004 },
      { size: 1.5 },
      { color: 'nope' },
      { x: 2 },
      { align: 'justify' },
      { font: '' },
    ]) {
      expect(parse(bad).success, JSON.stringify(bad)).toBe(false)
    }
  })
})
