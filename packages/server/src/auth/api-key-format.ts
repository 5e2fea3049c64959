import { createHash, randomBytes } from 'node:crypto'

/** Every Patchbay API key starts with this, so secret scanners and our log redactor know it. */
export const apiKeyPrefix = 'pbk_'

/** A new key: shown to its creator once; only its hash is stored. */
export function newApiKey(): { key: string; hash: string; prefix: string } {
  const key = `${apiKeyPrefix}${randomBytes(32).toString('base64url')}`
  return { key, hash: hashApiKey(key), prefix: key.slice(0, 12) }
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

/** Hash of a one-time token (invitations), stored instead of the token. */
export const hashToken = hashApiKey
