import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { isPlainObject } from './template.ts'

/**
 * JSON with object keys sorted and `undefined` members dropped, so that equal values always
 * serialize to equal text (the basis of cache keys and version hashes).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value))
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortDeep(item)))
  if (isPlainObject(value)) {
    // Null prototype: a member named "__proto__" stays a member instead of hitting the setter.
    const out: Record<string, unknown> = Object.create(null)
    for (const key of Object.keys(value).sort()) {
      const item = value[key]
      if (item !== undefined) out[key] = sortDeep(item)
    }
    return out
  }
  return value
}

export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)))
}

/** A SHA-256 of UTF-8 text as lowercase hex. */
export type Sha256 = (text: string) => string

/**
 * Hash of a value's canonical JSON. Pass a native `sha256` (e.g. node:crypto) where speed
 * matters; the default is portable JavaScript.
 */
export function hashValue(value: unknown, sha256: Sha256 = sha256Hex): string {
  return sha256(canonicalJson(value))
}
