import { defineNode, NodeError } from '@patchbay/core'
import { z } from 'zod'
import { colourParam, imageSize, requireImage, transformImage } from './sharp-image.ts'

/** Distance between baselines, in font sizes. */
const LINE_HEIGHT = 1.2
const fraction = z.number().min(0).max(1)
const anchorOf = { left: 'start', center: 'middle', right: 'end' } as const

const textParams = z.object({
  text: z.string().optional().describe('The text, used when the text input is not connected.'),
  font: z.string().min(1).max(200).default('sans-serif').describe('Font family, e.g. "DejaVu Serif" or "monospace".'),
  size: z.number().min(0.005).max(1).default(0.08).describe('Font size as a fraction of the image height.'),
  color: colourParam().default('#ffffff').describe('Text colour.'),
  x: fraction.default(0.5).describe('Horizontal anchor, as a fraction of the width.'),
  y: fraction.default(0.9).describe('Vertical centre of the text, as a fraction of the height.'),
  align: z.enum(['left', 'center', 'right']).default('center').describe('Which side of the text sits at x.'),
  strokeColor: colourParam().optional().describe('Outline colour; no outline when unset.'),
  strokeWidth: z.number().min(0).max(1000).optional().describe('Outline width in pixels (default 2).'),
})
type TextStyle = Omit<z.infer<typeof textParams>, 'text'>

/**
 * `image.text`: draws text on an image, keeping its size and format. The text comes from the
 * `text` input, or the `text` param when the input is not connected; each line break starts a
 * new line. Positions and size are fractions of the image, so the same params fit any
 * resolution: `size` is the font size as a fraction of the image height, (`x`, `y`) is the
 * anchor point: `align` puts the text's left edge, centre or right edge at `x`, and the block
 * of lines is centred vertically on `y`. An outline is drawn when `strokeColor` is set
 * (`strokeWidth` pixels, default 2). `font` is a family name looked up by fontconfig on the
 * machine running the node; an unknown family silently falls back to the default font.
 * Empty text returns the image unchanged; no text at all fails with `MISSING_TEXT`.
 */
export const imageText = defineNode({
  type: 'image.text',
  version: 1,
  category: 'image',
  title: 'Text',
  description: 'Draws text on an image.',
  inputs: {
    image: { type: 'image', required: true },
    text: { type: 'text', description: 'Replaces the text param when connected' },
  },
  outputs: { image: { type: 'image' } },
  params: textParams,
  async run({ inputs, params, ctx }) {
    const source = requireImage(inputs.image, 'image')
    const text = inputs.text ?? params.text
    if (text === undefined) {
      throw new NodeError('MISSING_TEXT', 'connect the "text" input or set the "text" param')
    }
    if (text === '') return { image: source }
    const size = await imageSize(ctx, source)
    const svg = Buffer.from(textSvg(text, params, size))
    return { image: await transformImage(ctx, source, (pipeline) => pipeline.composite([{ input: svg }])) }
  },
})

/** An SVG the size of the image with the text placed on it. */
export function textSvg(text: string, style: TextStyle, size: { width: number; height: number }): string {
  const fontSize = style.size * size.height
  const lines = text.split(/\r\n|\r|\n/)
  const x = style.x * size.width
  const firstLine = style.y * size.height - ((lines.length - 1) * LINE_HEIGHT * fontSize) / 2
  const stroke =
    style.strokeColor === undefined
      ? ''
      : ` stroke="${escapeXml(style.strokeColor)}" stroke-width="${style.strokeWidth ?? 2}" stroke-linejoin="round" paint-order="stroke"`
  const spans = lines.map(
    (line, index) => `<tspan x="${x}" y="${firstLine + index * LINE_HEIGHT * fontSize}">${escapeXml(line)}</tspan>`,
  )
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}">` +
    `<text xml:space="preserve" font-family="${escapeXml(style.font)}" font-size="${fontSize}" ` +
    `fill="${escapeXml(style.color)}" text-anchor="${anchorOf[style.align]}" dominant-baseline="central"${stroke}>` +
    `${spans.join('')}</text></svg>`
  )
}

const xmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

/**
 * Escapes text for XML content and attributes, and drops characters XML 1.0 cannot contain
 * (control characters, lone surrogates), which would make librsvg reject the whole SVG.
 */
export function escapeXml(value: string): string {
  return value
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/[&<>"']/g, (char) => xmlEntities[char] ?? char)
}
