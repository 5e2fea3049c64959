import { join } from 'node:path'
import { type AssetRef, defineNode, type NodeContext, NodeError } from '@patchbay/core'
import sharp from 'sharp'
import { z } from 'zod'
import { throwIfAborted } from '../support/abort.ts'
import { withTempDir } from '../support/ffmpeg/index.ts'
import { requireMedia } from '../support/media-input.ts'
import { encodeMp4, even, MAX_VIDEO_SIDE, VIDEO_TIMEOUT_MS } from './encode.ts'
import { targetSize } from './resize.ts'

const side = z.number().int().min(2).max(MAX_VIDEO_SIDE)

/**
 * `video.fromImages`: a silent MP4 of the connected images in edge order. By default each
 * image is one frame at `fps` (10 images at 5 fps last 2 s); with `secondsPerImage` each is
 * held that long instead (a slideshow, still encoded at `fps`).
 *
 * The size defaults to the first image's (rounded to even pixels); with only `width` or
 * `height` the other follows the first image's aspect ratio. Every image is fitted inside
 * that size on black (EXIF orientation applied, transparency on black).
 *
 * The input is `image` with `multiple: true`: connect one edge per image. An edge whose value
 * is itself an array of images (a list arriving through an `any` output) is flattened in
 * place. An `image[]` output such as `video.toFrames` cannot connect directly, because the
 * validator never unwraps lists implicitly. Undecodable images are `INVALID_IMAGE`.
 */
export const videoFromImages = defineNode({
  type: 'video.fromImages',
  version: 1,
  category: 'video',
  title: 'Images to video',
  description: 'Makes a video from images, one frame (or a few seconds) each.',
  timeoutMs: VIDEO_TIMEOUT_MS,
  inputs: { images: { type: 'image', multiple: true, required: true } },
  outputs: { video: { type: 'video' } },
  params: z.object({
    fps: z.number().int().min(1).max(60).default(24).describe('Frames per second of the video.'),
    secondsPerImage: z
      .number()
      .min(0.01)
      .max(3600)
      .optional()
      .describe('How long each image shows; unset, each image is one frame.'),
    width: side.optional().describe('Width in pixels, rounded to even (default: the first image’s).'),
    height: side.optional().describe('Height in pixels, rounded to even (default: the first image’s).'),
  }),
  async run({ inputs, params, ctx }) {
    const images = (inputs.images as unknown[]).flat().map((value, i) => requireMedia(value, 'image', `images[${i}]`))
    const [first] = images
    if (!first) throw new NodeError('INVALID_INPUT', 'input "images" has no images')
    const size = targetSize(params, await displayedSize(ctx, first, 0))
    return withTempDir(async (dir) => {
      for (const [index, image] of images.entries()) {
        throwIfAborted(ctx.signal)
        await writeFrame(ctx, image, index, size, join(dir, `${String(index).padStart(6, '0')}.png`))
      }
      const perImage = params.secondsPerImage ?? 1 / params.fps
      const durationMs = images.length * perImage * 1000
      const rate = params.secondsPerImage === undefined ? String(params.fps) : `1/${params.secondsPerImage}`
      const frames = Math.max(1, Math.round((durationMs / 1000) * params.fps))
      const args = ['-framerate', rate, '-start_number', '0', '-i', join(dir, '%06d.png')]
      args.push('-vf', `fps=${params.fps}`, '-frames:v', String(frames))
      const video = await encodeMp4(ctx, args, { audio: false, durationMs, what: 'encoding the images' })
      return { video }
    })
  },
})

async function displayedSize(ctx: NodeContext, ref: AssetRef, index: number) {
  const metadata = await decoding(index, ref, async () => sharp(await ctx.assets.localPath(ref)).metadata())
  return { width: even(metadata.autoOrient.width), height: even(metadata.autoOrient.height) }
}

/** Fits one image into the frame size as a PNG, so ffmpeg reads a uniform sequence. */
async function writeFrame(
  ctx: NodeContext,
  ref: AssetRef,
  index: number,
  size: { width: number; height: number },
  out: string,
): Promise<void> {
  const path = await ctx.assets.localPath(ref)
  await decoding(index, ref, () =>
    sharp(path, { autoOrient: true })
      .resize({ ...size, fit: 'contain', background: '#000000' })
      .flatten({ background: '#000000' })
      .png({ compressionLevel: 1 })
      .toFile(out),
  )
}

async function decoding<T>(index: number, ref: AssetRef, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (cause) {
    const reason = cause instanceof Error ? (cause.message.split('\n')[0] ?? '') : String(cause)
    throw new NodeError('INVALID_IMAGE', `images[${index}] (asset ${ref.assetId}) could not be decoded (${reason})`, {
      cause,
    })
  }
}
