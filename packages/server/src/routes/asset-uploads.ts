import { createRoute, z } from '@hono/zod-openapi'
import { NotFoundError, PatchbayError } from '@patchbay/core'
import { canPresign, type PresigningAssetStore } from '@patchbay/storage'
import { ApiError } from '../api/errors.ts'
import { createRouter } from '../api/router.ts'
import { errorResponses, jsonContent, timestamp } from '../api/schemas.ts'
import { recordUpload, type StoredUpload } from '../assets/record-upload.ts'
import { type SniffResult, sniffBytes, sniffMedia } from '../assets/sniff.ts'
import { cleanName, tooLarge } from '../assets/upload.ts'
import { requireRole } from '../auth/authenticate.ts'
import { rateKeyOf } from '../security/rate-limits.ts'
import type { Services } from '../services.ts'
import { assetJson, assetSchema } from './asset-json.ts'

/** How long the browser has to start its PUT. */
const uploadUrlSeconds = 60 * 60
/** How long an upload can wait to be completed (a large file over a slow link takes a while). */
const uploadIdSeconds = 24 * 60 * 60

const uploadRequestSchema = z
  .object({
    name: z.string().max(1000).openapi({ description: 'The file name to keep (shortened to 200 characters)' }),
    contentType: z
      .string()
      .max(200)
      .regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a MIME type such as image/png')
      .openapi({ description: 'What the browser will send as Content-Type (the type is read from the bytes anyway)' }),
    bytes: z.number().int().min(1).openapi({ description: 'The exact size of the file, in bytes' }),
  })
  .openapi('AssetUploadRequest')

const uploadSchema = z
  .object({
    uploadId: z.string().openapi({ description: 'Completes the upload: POST /assets/uploads/{uploadId}/complete' }),
    url: z.string().openapi({ description: 'Where to PUT the file, without credentials' }),
    method: z.literal('PUT'),
    headers: z.record(z.string(), z.string()).openapi({ description: 'Send exactly these headers with the PUT' }),
    expiresAt: timestamp.openapi({ description: 'The PUT must start before this' }),
  })
  .openapi('AssetUpload')

/** The body of `POST /assets/uploads`. */
export type AssetUploadJson = z.infer<typeof uploadSchema>

const uploadParams = z.object({
  uploadId: z
    .string()
    .min(1)
    .max(4096)
    .regex(/^[A-Za-z0-9_.-]+$/, 'not an upload id')
    .openapi({ param: { name: 'uploadId', in: 'path' } }),
})

const errorContent = errorResponses[400].content
const tags = ['assets']

/**
 * Direct uploads for S3 storage: the browser PUTs the file to a presigned URL, then asks for it
 * to become an asset. Servers keeping assets on local disk answer 409 and take multipart uploads.
 */
export function assetUploadRoutes() {
  const app = createRouter()

  app.openapi(
    createRoute({
      method: 'post',
      path: '/assets/uploads',
      tags,
      summary: 'Start a direct upload to storage (S3)',
      description:
        'Returns a presigned URL the client PUTs the file to (with exactly the returned headers; the size must be ' +
        'the declared `bytes`), then POST /assets/uploads/{uploadId}/complete. Larger than the upload limit: 413. ' +
        'A server that keeps assets on local disk answers 409 PRESIGNED_UPLOADS_UNAVAILABLE: use POST /assets.',
      middleware: [requireRole('editor')] as const,
      request: { body: { content: { 'application/json': { schema: uploadRequestSchema } }, required: true } },
      responses: {
        201: jsonContent(uploadSchema, 'Where and how to send the file'),
        ...errorResponses,
        409: { description: 'Assets are kept on local disk: use a multipart upload', content: errorContent },
        413: { description: 'Larger than the upload limit', content: errorContent },
      },
    }),
    async (c) => {
      const { services } = c.var
      const body = c.req.valid('json')
      const assets = presigningStore(services)
      if (body.bytes > services.config.maxUploadBytes) throw tooLarge(services.config.maxUploadBytes)
      await services.rateLimits.consume('uploads', rateKeyOf(c.var.actor))
      const presigned = await assets.presignUpload({
        expiresInSeconds: uploadUrlSeconds,
        contentType: body.contentType,
        contentLength: body.bytes,
      })
      const uploadId = services.uploadTokens.issue({
        orgId: c.var.actor.orgId,
        key: presigned.key,
        bytes: body.bytes,
        name: cleanName(body.name),
        expires: Math.floor(Date.now() / 1000) + uploadIdSeconds,
      })
      return c.json(
        {
          uploadId,
          url: presigned.url,
          method: presigned.method,
          headers: presigned.headers,
          expiresAt: presigned.expiresAt.toISOString(),
        },
        201,
      )
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/assets/uploads/{uploadId}/complete',
      tags,
      summary: 'Turn a finished direct upload into an asset',
      description:
        'Reads the uploaded bytes: their type is sniffed like a multipart upload’s (anything but an image, video or ' +
        'audio file: 415, and the upload is deleted), larger than declared or than the upload limit: 413. Only the ' +
        'organisation that started the upload can complete it; a missing, expired or already completed upload is 404.',
      middleware: [requireRole('editor')] as const,
      request: { params: uploadParams },
      responses: {
        201: jsonContent(assetSchema, 'The stored asset (an existing one when the same bytes were uploaded before)'),
        ...errorResponses,
        409: { description: 'Assets are kept on local disk: use a multipart upload', content: errorContent },
        413: { description: 'Larger than declared or than the upload limit', content: errorContent },
        415: { description: 'Not an accepted image, video or audio file', content: errorContent },
      },
    }),
    async (c) => {
      const { services } = c.var
      const assets = presigningStore(services)
      const orgId = c.var.actor.orgId
      const claims = services.uploadTokens.verify(c.req.valid('param').uploadId)
      // Another organisation's upload looks exactly like one that does not exist.
      if (!claims || claims.orgId !== orgId) throw uploadNotFound()
      const maxBytes = Math.min(claims.bytes, services.config.maxUploadBytes)
      let sniffed: Extract<SniffResult, { ok: true }> | undefined
      let blob: StoredUpload['blob']
      try {
        blob = await assets.adoptUpload(claims.key, {
          maxBytes,
          inspectBytes: sniffBytes,
          inspect: async (head) => {
            const result = await sniffMedia(head)
            if (!result.ok) {
              throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `this upload is refused: ${result.reason}`, {
                details: result.detected === undefined ? {} : { detected: result.detected },
              })
            }
            sniffed = result
          },
        })
      } catch (error) {
        if (error instanceof NotFoundError) throw uploadNotFound()
        if (error instanceof PatchbayError && error.code === 'UPLOAD_TOO_LARGE') {
          throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `the upload is larger than ${maxBytes} bytes`, {
            details: { maxBytes },
          })
        }
        throw error
      }
      if (!sniffed) throw new Error('the upload was adopted without being inspected')
      const record = await recordUpload(services, orgId, { blob, sniffed, name: claims.name })
      return c.json(assetJson(services, record), 201)
    },
  )

  return app
}

function presigningStore(services: Services): PresigningAssetStore {
  const { assets } = services.runtime
  if (!canPresign(assets)) {
    throw new ApiError(
      409,
      'PRESIGNED_UPLOADS_UNAVAILABLE',
      'this server keeps assets on local disk, which takes no direct uploads: send the file to POST /api/v1/assets ' +
        'as multipart/form-data instead',
    )
  }
  return assets
}

function uploadNotFound(): ApiError {
  return new ApiError(
    404,
    'NOT_FOUND',
    'there is no such upload: it belongs to another organisation, has expired, was already completed, ' +
      'or its file was never PUT to the upload URL',
    { details: { what: 'upload' } },
  )
}
