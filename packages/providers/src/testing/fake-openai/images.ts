import type { ServerResponse } from 'node:http'
import sharp from 'sharp'
import { type RecordedRequest, sendJson } from '../loopback-server.ts'
import { colorFor, pngBytes } from '../media.ts'
import { rejectMissing, sendOpenAIError } from './errors.ts'
import { formFields, formFiles, readFormData } from './multipart.ts'

/** Fakes keep images small: a requested size up to this many pixels a side is honoured, larger ones are not. */
const maxSide = 256
const standIn = { width: 64, height: 64 }

/** `POST /v1/images/generations`: `n` PNGs of `colorFor(prompt)` as `b64_json`. */
export async function answerImageGenerations(request: RecordedRequest, response: ServerResponse): Promise<void> {
  const body = (request.json ?? {}) as Record<string, unknown>
  if (rejectMissing(response, body, ['prompt'])) return
  const n = body.n === undefined ? 1 : Number(body.n)
  if (!Number.isInteger(n) || n < 1 || n > 10) {
    sendOpenAIError(response, 400, `Invalid 'n': ${String(body.n)}. Expected an integer between 1 and 10.`, {
      param: 'n',
    })
    return
  }
  const png = await pngBytes({ ...smallSize(body.size), color: colorFor(String(body.prompt)) })
  sendImages(
    response,
    Array.from({ length: n }, () => png),
  )
}

/** `POST /v1/images/edits` (multipart): a PNG of `colorFor(prompt)` the size of the (first) input image. */
export async function answerImageEdits(request: RecordedRequest, response: ServerResponse): Promise<void> {
  if (!(request.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
    sendOpenAIError(response, 400, 'Expected a multipart/form-data body.')
    return
  }
  const form = await readFormData(request)
  const fields = formFields(form)
  if (rejectMissing(response, fields, ['prompt'])) return
  const [image] = formFiles(form, 'image')
  if (!image) {
    sendOpenAIError(response, 400, "Missing required parameter: 'image'.", {
      param: 'image',
      code: 'missing_required_parameter',
    })
    return
  }
  const inputSize = await imageSize(image)
  if (!inputSize) {
    sendOpenAIError(response, 400, 'Invalid image file or mode for image 1, please check your image file.', {
      param: 'image',
      code: 'invalid_image_file',
    })
    return
  }
  const size = fields.size ? smallSize(fields.size) : inputSize
  const png = await pngBytes({ ...size, color: colorFor(fields.prompt ?? '') })
  sendImages(
    response,
    Array.from({ length: Number(fields.n ?? 1) || 1 }, () => png),
  )
}

function sendImages(response: ServerResponse, images: Uint8Array[]): void {
  sendJson(response, 200, {
    created: Math.floor(Date.now() / 1000),
    data: images.map((bytes) => ({ b64_json: Buffer.from(bytes).toString('base64') })),
  })
}

function smallSize(size: unknown): { width: number; height: number } {
  const match = typeof size === 'string' ? size.match(/^(\d+)x(\d+)$/) : null
  const width = Number(match?.[1])
  const height = Number(match?.[2])
  return width > 0 && height > 0 && width <= maxSide && height <= maxSide ? { width, height } : standIn
}

/** The image's size (or the stand-in when it is large); undefined when it is no image sharp can read. */
async function imageSize(image: File): Promise<{ width: number; height: number } | undefined> {
  try {
    const { width, height } = await sharp(Buffer.from(await image.arrayBuffer())).metadata()
    return width <= maxSide && height <= maxSide ? { width, height } : standIn
  } catch {
    return undefined
  }
}
