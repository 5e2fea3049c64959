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

/** Hash of a value's canonical JSON. */
export function hashValue(value: unknown): string {
  return sha256Hex(canonicalJson(value))
}
