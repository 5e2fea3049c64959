import { z } from '@hono/zod-openapi'
import { mediaKinds } from '@patchbay/core'
import type { AssetRecord } from '@patchbay/db'
import { timestamp } from '../api/schemas.ts'
import { assetLinks } from '../assets/links.ts'
import type { Services } from '../services.ts'

export const assetSchema = z
  .object({
    id: z.string(),
    kind: z.enum(mediaKinds),
    mime: z.string(),
    bytes: z.number().int(),
    sha256: z.string(),
    width: z.number().int().optional(),
    height: z.number().int().optional(),
    durationMs: z.number().optional(),
    name: z.string().nullable(),
    createdAt: timestamp,
    url: z
      .string()
      .openapi({ description: 'Signed link to the bytes; works without credentials until `urlExpiresAt`' }),
    thumbnailUrl: z.string().optional().openapi({ description: 'Signed link to a WebP thumbnail (images and video)' }),
    urlExpiresAt: timestamp,
  })
  .openapi('Asset')

/** An asset as the API shows it. */
export type AssetJson = z.infer<typeof assetSchema>

/** The asset as the API shows it, with fresh signed links. */
export function assetJson(services: Services, record: AssetRecord): AssetJson {
  return {
    id: record.assetId,
    kind: record.kind,
    mime: record.mime,
    bytes: record.bytes,
    sha256: record.sha256,
    ...(record.width === undefined ? {} : { width: record.width }),
    ...(record.height === undefined ? {} : { height: record.height }),
    ...(record.durationMs === undefined ? {} : { durationMs: record.durationMs }),
    name: record.name,
    createdAt: record.createdAt.toISOString(),
    ...assetLinks(services.signer, services.config.publicUrl, record),
  }
}
