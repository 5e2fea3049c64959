import { PatchbayError } from '@patchbay/core'

const ASSET_KEY = /^[0-9a-f]{64}$/

/** Whether `key` is a well-formed asset key: a lowercase hex SHA-256. */
export function isAssetKey(key: unknown): key is string {
  return typeof key === 'string' && ASSET_KEY.test(key)
}

/**
 * Throws unless `key` is a lowercase hex SHA-256. Stores call this before building any path
 * or object name, so a key can never name something outside the store.
 */
export function assertAssetKey(key: unknown): asserts key is string {
  if (!isAssetKey(key)) {
    const shown = typeof key === 'string' ? JSON.stringify(key.slice(0, 80)) : typeof key
    throw new PatchbayError('INVALID_ASSET_KEY', `invalid asset key ${shown}: expected 64 lowercase hex characters`)
  }
}
