import { readFile } from 'node:fs/promises'
import { createRoute, z } from '@hono/zod-openapi'
import { mediaKinds } from '@patchbay/core'
import type { AssetRecord } from '@patchbay/db'
import { canPresign } from '@patchbay/storage'
import type { Context } from 'hono'
import type { AppEnv } from '../api/env.ts'
import { ApiError, notFound } from '../api/errors.ts'
import { createRouter } from '../api/router.ts'
import { errorResponses, idParams, jsonContent, pageQuerySchema, pageSchema } from '../api/schemas.ts'
import { type AssetResource, isSigned, verifiedOrg } from '../assets/links.ts'
import { MediaToolFailedError, MediaToolMissingError } from '../assets/media-tools.ts'
import { discardBytes, recordUpload, thumbnails } from '../assets/record-upload.ts'
import { matchesEtag, redirectToStorage, serveAsset } from '../assets/serve.ts'
import { receiveUpload } from '../assets/upload.ts'
import { requireRole } from '../auth/authenticate.ts'
import { rateKeyOf } from '../security/rate-limits.ts'
import type { Services } from '../services.ts'
import { assetJson, assetSchema } from './asset-json.ts'

const signedQuery = z.object({
  org: z.string().max(200).optional().openapi({ description: 'The organisation (part of a signed link)' }),
  exp: z.string().max(20).optional().openapi({ description: 'Expiry of a signed link (Unix seconds)' }),
  sig: z.string().max(100).optional().openapi({ description: 'Signature of a signed link' }),
})

const binary = (description: string, mime = '*/*') => ({
  description,
  content: { [mime]: { schema: z.string().openapi({ format: 'binary' }) } },
})

const byteResponses = {
  304: { description: 'The copy named by If-None-Match is current' },
  416: { description: 'The range lies outside the asset', content: errorResponses[400].content },
} as const

const tags = ['assets']

export function assetRoutes() {
  const app = createRouter()

  app.openapi(
    createRoute({
      method: 'get',
      path: '/assets',
      tags,
      summary: 'List assets',
      middleware: [requireRole('viewer')] as const,
      request: {
        query: pageQuerySchema.extend({ kind: z.enum(mediaKinds).optional(), search: z.string().max(200).optional() }),
      },
      responses: { 200: jsonContent(pageSchema(assetSchema, 'AssetPage'), 'Assets, newest first'), ...errorResponses },
    }),
    async (c) => {
      const { limit, offset, kind, search } = c.req.valid('query')
      const { services } = c.var
      const page = await services.runtime.store.listAssets({
        orgId: c.var.actor.orgId,
        limit,
        offset,
        ...(kind ? { kind } : {}),
        ...(search ? { search } : {}),
      })
      const items = page.items.map((record) => assetJson(services, record))
      return c.json({ items, total: page.total, limit, offset }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/assets',
      tags,
      summary: 'Upload an image, video or audio file',
      description:
        'A multipart/form-data body with the file in `file` (and optionally a `name`). The type is read from the ' +
        'bytes, whatever the file name or Content-Type say; anything but an image (PNG, JPEG, GIF, WebP, AVIF, ' +
        'TIFF), video or audio file is refused with 415, SVG included. Larger than the upload limit: 413. ' +
        'Uploading the same bytes again returns the same asset.',
      middleware: [requireRole('editor')] as const,
      request: {
        body: {
          required: true,
          content: {
            // A plain schema, not zod, so the body is not parsed (buffered) before the handler streams it.
            'multipart/form-data': {
              schema: {
                type: 'object',
                properties: { file: { type: 'string', format: 'binary' }, name: { type: 'string', maxLength: 200 } },
                required: ['file'],
              },
            },
          },
        },
      },
      responses: {
        201: jsonContent(assetSchema, 'The stored asset (an existing one when the same bytes were uploaded before)'),
        ...errorResponses,
        413: { description: 'Larger than the upload limit', content: errorResponses[400].content },
        415: { description: 'Not an accepted image, video or audio file', content: errorResponses[400].content },
      },
    }),
    async (c) => {
      const { services } = c.var
      const { runtime, config } = services
      await services.rateLimits.consume('uploads', rateKeyOf(c.var.actor))
      const upload = await receiveUpload(c.req.raw, {
        assets: runtime.assets,
        maxBytes: config.maxUploadBytes,
        discard: (blob) => discardBytes(services, blob.key, blob.sha256),
      })
      const record = await recordUpload(services, c.var.actor.orgId, upload)
      return c.json(assetJson(services, record), 201)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/assets/{id}',
      tags,
      summary: 'Get an asset’s metadata',
      middleware: [requireRole('viewer')] as const,
      request: { params: idParams },
      responses: { 200: jsonContent(assetSchema, 'The asset'), ...errorResponses },
    }),
    async (c) => {
      const record = await loadAsset(c.var.services, c.var.actor.orgId, c.req.valid('param').id)
      return c.json(assetJson(c.var.services, record), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/assets/{id}/content',
      tags,
      summary: 'Download an asset’s bytes',
      description:
        'Supports single byte ranges (`Range: bytes=a-b`, `bytes=a-`, `bytes=-n`) and ETags. Callers with the viewer ' +
        'role may fetch it; so may anyone holding the signed `url` from the asset’s JSON, until it expires. ' +
        'When assets are kept in S3, a GET is answered with a 302 to a short-lived presigned URL of the bucket ' +
        '(with the same Content-Type and file name), which serves the bytes and ranges itself.',
      request: { params: idParams, query: signedQuery },
      responses: {
        200: binary('The bytes, with the asset’s Content-Type'),
        206: binary('The requested range'),
        302: { description: 'S3 storage: fetch the bytes from the presigned URL in Location' },
        ...byteResponses,
        ...errorResponses,
      },
    }),
    async (c) => {
      const asset = await readableAsset(c, c.req.valid('param').id, 'content')
      const { assets } = c.var.services.runtime
      // HEAD stays here: a URL presigned for GET does not answer HEAD, and the record knows the headers.
      if (canPresign(assets) && c.req.method !== 'HEAD') return redirectToStorage(c.req.raw, assets, asset)
      return serveAsset(c.req.raw, assets, asset)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/assets/{id}/thumbnail',
      tags,
      summary: 'A WebP thumbnail of an image or video asset',
      description: 'At most 256 px on its longest side; the same access as the content (role or signed link).',
      request: { params: idParams, query: signedQuery },
      responses: {
        200: binary('The thumbnail', 'image/webp'),
        304: byteResponses[304],
        ...errorResponses,
        415: { description: 'Audio and other files have no thumbnail', content: errorResponses[400].content },
      },
    }),
    async (c) => {
      const { services } = c.var
      const asset = await readableAsset(c, c.req.valid('param').id, 'thumbnail')
      if (asset.kind !== 'image' && asset.kind !== 'video') {
        throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `${asset.kind} assets have no thumbnail`)
      }
      const headers = new Headers({
        'content-type': 'image/webp',
        etag: `"${asset.sha256}-thumbnail"`,
        'cache-control': 'private',
      })
      if (matchesEtag(c.req.header('if-none-match') ?? null, headers.get('etag')!)) {
        return new Response(null, { status: 304, headers })
      }
      const bytes = await readFile(await thumbnailPath(services, asset))
      headers.set('content-length', String(bytes.byteLength))
      return new Response(c.req.method === 'HEAD' ? null : bytes, { status: 200, headers })
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/assets/{id}',
      tags,
      summary: 'Delete an asset',
      description: 'The bytes are removed too, unless another asset record (in any organisation) shares them.',
      middleware: [requireRole('editor')] as const,
      request: { params: idParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { services } = c.var
      const removed = await services.runtime.store.deleteAsset(c.var.actor.orgId, id)
      if (!removed) throw notFound('asset', id)
      try {
        await discardBytes(services, removed.storageKey, removed.sha256)
      } catch (error) {
        // The record is gone, which is what the caller asked; orphaned bytes only cost space.
        services.logger.warn('could not delete the bytes of a deleted asset', {
          assetId: id,
          storageKey: removed.storageKey,
          error: error instanceof Error ? error.message : String(error),
        })
      }
      return c.body(null, 204)
    },
  )

  return app
}

export async function loadAsset(services: Services, orgId: string, id: string): Promise<AssetRecord> {
  // Ids are UUIDs; anything with control or non-ASCII characters (a NUL breaks PostgreSQL text) cannot be one.
  if (!/^[\x21-\x7e]+$/.test(id)) throw notFound('asset', id)
  const record = await services.runtime.store.getAsset(orgId, id)
  if (!record) throw notFound('asset', id)
  return record
}

/**
 * The asset a content or thumbnail request may read. A request carrying a signature is judged
 * by it alone (a bad or expired one is 403, never a fallback to cookies), and reads the
 * organisation named in the signed path; any other request needs the viewer role.
 */
async function readableAsset(c: Context<AppEnv>, id: string, resource: AssetResource): Promise<AssetRecord> {
  const { services } = c.var
  const query = { org: c.req.query('org'), exp: c.req.query('exp'), sig: c.req.query('sig') }
  if (isSigned(query)) {
    const org = verifiedOrg(services.signer, id, resource, query)
    if (org === undefined) {
      throw new ApiError(
        403,
        'INVALID_SIGNATURE',
        'this link is invalid or has expired; fetch the asset again for a fresh one',
      )
    }
    return loadAsset(services, org, id)
  }
  await requireRole('viewer')(c, async () => {})
  return loadAsset(services, c.var.actor.orgId, id)
}

async function thumbnailPath(services: Services, asset: AssetRecord): Promise<string> {
  try {
    return await thumbnails(services).path(asset)
  } catch (error) {
    if (error instanceof MediaToolMissingError) {
      throw new ApiError(503, 'THUMBNAIL_UNAVAILABLE', 'video thumbnails need ffmpeg, which this server does not have')
    }
    if (error instanceof MediaToolFailedError) {
      throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `no thumbnail can be made of this asset (${error.message})`)
    }
    throw error
  }
}
