import { createHash } from 'node:crypto'
import { hashValue } from '@patchbay/core'

/** The version hash of a workflow document: core's canonical hash, with native SHA-256. */
export function documentHash(document: unknown): string {
  return hashValue(document, (text) => createHash('sha256').update(text).digest('hex'))
}
