import { createHmac, timingSafeEqual } from 'node:crypto'
import { isUploadKey } from '@patchbay/storage'

/** What an upload id promises: whose upload it is, where its bytes land, and what was declared. */
export interface UploadClaims {
  orgId: string
  /** The storage's temporary object (`tmp/<uuid>`). */
  key: string
  /** The size declared when the upload was created; more is refused on completion. */
  bytes: number
  name: string | null
  /** Unix seconds after which the upload can no longer be completed. */
  expires: number
}

interface Payload {
  o: string
  k: string
  b: number
  n: string | null
  e: number
}

/**
 * Upload ids for presigned uploads: the claims, signed with HMAC-SHA256, as
 * `<base64url JSON>.<base64url signature>`. Nothing is stored: the signature binds the
 * temporary object to the organisation that asked for it, so no other organisation can
 * complete (adopt) it, and nobody can point an id at another object.
 */
export class UploadTokens {
  readonly #key: Buffer

  constructor(key: Buffer) {
    this.#key = key
  }

  issue(claims: UploadClaims): string {
    const payload: Payload = { o: claims.orgId, k: claims.key, b: claims.bytes, n: claims.name, e: claims.expires }
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url')
    return `${body}.${this.#sign(body)}`
  }

  /** The claims of a token this signer issued and that has not expired; undefined for anything else. */
  verify(token: string, now = Date.now()): UploadClaims | undefined {
    const [body, signature, ...rest] = token.split('.')
    if (!body || !signature || rest.length > 0) return undefined
    const expected = Buffer.from(this.#sign(body))
    const given = Buffer.from(signature)
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined
    let payload: Payload
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload
    } catch {
      return undefined
    }
    if (typeof payload.o !== 'string' || !isUploadKey(payload.k) || !Number.isSafeInteger(payload.b)) return undefined
    if (!Number.isSafeInteger(payload.e) || payload.e * 1000 < now) return undefined
    return { orgId: payload.o, key: payload.k, bytes: payload.b, name: payload.n ?? null, expires: payload.e }
  }

  #sign(body: string): string {
    return createHmac('sha256', this.#key).update(`upload\n${body}`).digest('base64url')
  }
}
