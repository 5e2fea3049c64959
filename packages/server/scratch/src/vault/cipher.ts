import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import type { MasterKey } from './keyring.ts'

/** The row a value belongs to: part of the authenticated data, so a value moved elsewhere fails to open. */
export interface VaultEntryRef {
  orgId: string
  id: string
}

/** What the store keeps: the ciphertext and the id of the key that sealed it. */
export interface SealedValue {
  keyId: string
  sealed: string
}

const VERSION = 'v1'
const IV_BYTES = 12
const TAG_BYTES = 16

function additionalData(ref: VaultEntryRef): Buffer {
  return Buffer.from(`patchbay-vault-v1\0${ref.orgId}\0${ref.id}`, 'utf8')
}

/** AES-256-GCM with a random 12-byte IV: `v1.<iv>.<tag>.<ciphertext>`, base64url. */
export function sealWith(key: MasterKey, ref: VaultEntryRef, value: string): SealedValue {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key.key, iv, { authTagLength: TAG_BYTES })
  cipher.setAAD(additionalData(ref))
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()])
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'))
  return { keyId: key.id, sealed: [VERSION, ...parts].join('.') }
}

/** Opens what {@link sealWith} sealed for the same `ref`; throws a bare Error when it does not authenticate. */
export function openWith(key: MasterKey, ref: VaultEntryRef, sealed: string): string {
  const [version, iv, tag, ciphertext, ...rest] = sealed.split('.')
  if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined || rest.length > 0) {
    throw new Error('not a v1 sealed value')
  }
  const ivBytes = Buffer.from(iv, 'base64url')
  const tagBytes = Buffer.from(tag, 'base64url')
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw new Error('malformed sealed value')
  const decipher = createDecipheriv('aes-256-gcm', key.key, ivBytes, { authTagLength: TAG_BYTES })
  decipher.setAAD(additionalData(ref))
  decipher.setAuthTag(tagBytes)
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8')
}
