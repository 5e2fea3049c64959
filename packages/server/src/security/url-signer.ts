import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Signs asset URLs handed to browsers (`<img src>`, `<video src>` cannot send headers): the
 * signature covers the path and the expiry, so a link opens one asset until it expires.
 */
export class UrlSigner {
  private readonly key: Buffer
  private readonly ttlSeconds: number

  constructor(key: Buffer, ttlSeconds = 3600) {
    this.key = key
    this.ttlSeconds = ttlSeconds
  }

  /** `path?exp=…&sig=…`, valid for the signer's lifetime from `now`. */
  sign(path: string, now = Date.now()): { url: string; expiresAt: Date } {
    const expires = Math.floor(now / 1000) + this.ttlSeconds
    const url = `${path}${path.includes('?') ? '&' : '?'}exp=${expires}&sig=${this.signature(path, expires)}`
    return { url, expiresAt: new Date(expires * 1000) }
  }

  /** Whether `sig` is this signer's signature of `path` and `exp` has not passed. */
  verify(path: string, exp: string | undefined, sig: string | undefined, now = Date.now()): boolean {
    if (!exp || !sig || !/^\d{1,12}$/.test(exp)) return false
    const expires = Number(exp)
    if (expires * 1000 < now) return false
    const expected = Buffer.from(this.signature(path, expires))
    const given = Buffer.from(sig)
    return expected.length === given.length && timingSafeEqual(expected, given)
  }

  /** A key of its own for another purpose (e.g. upload tokens), derived from this signer's key. */
  derive(purpose: string): Buffer {
    return createHmac('sha256', this.key).update(`derive\n${purpose}`).digest()
  }

  private signature(path: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${path}\n${expires}`).digest('base64url')
  }
}
