import type { AssetRecord } from '@patchbay/db'
import type { UrlSigner } from '../security/url-signer.ts'

/** Where the asset routes are mounted; signed paths are absolute so that they mean the same everywhere. */
const apiBase = '/api/v1'

/** The two byte-serving endpoints of an asset that `<img>`/`<video>` tags load through signed links. */
export type AssetResource = 'content' | 'thumbnail'

/**
 * The path a link signs: `/api/v1/assets/<id>/<resource>?org=<orgId>`. The organisation is
 * part of what is signed, so a signed request says which organisation to look the asset up
 * in, and the lookup stays scoped (`getAsset(org, id)`) like every other route's: nothing
 * ever searches all organisations for an id, and a tampered `org` breaks the signature.
 */
export function signedPath(id: string, resource: AssetResource, orgId: string): string {
  return `${apiBase}/assets/${encodeURIComponent(id)}/${resource}?org=${encodeURIComponent(orgId)}`
}

/** The query parameters a signed link carries. */
export interface SignedQuery {
  org?: string | undefined
  exp?: string | undefined
  sig?: string | undefined
}

/** Whether the request carries a signature at all (then it must be valid; there is no fallback). */
export function isSigned(query: SignedQuery): boolean {
  return query.exp !== undefined || query.sig !== undefined
}

/** The organisation a validly signed request for `id`'s `resource` may read, or undefined. */
export function verifiedOrg(
  signer: UrlSigner,
  id: string,
  resource: AssetResource,
  query: SignedQuery,
): string | undefined {
  if (query.org === undefined) return undefined
  return signer.verify(signedPath(id, resource, query.org), query.exp, query.sig) ? query.org : undefined
}

/** Signed, absolute links to an asset's bytes (and thumbnail, for images and video), for the API's JSON. */
export function assetLinks(
  signer: UrlSigner,
  publicUrl: string,
  asset: AssetRecord,
  now = Date.now(),
): { url: string; thumbnailUrl?: string; urlExpiresAt: string } {
  const content = signer.sign(signedPath(asset.assetId, 'content', asset.orgId), now)
  const hasThumbnail = asset.kind === 'image' || asset.kind === 'video'
  return {
    url: `${publicUrl}${content.url}`,
    ...(hasThumbnail
      ? { thumbnailUrl: `${publicUrl}${signer.sign(signedPath(asset.assetId, 'thumbnail', asset.orgId), now).url}` }
      : {}),
    urlExpiresAt: content.expiresAt.toISOString(),
  }
}
