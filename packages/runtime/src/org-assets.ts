import { randomUUID } from 'node:crypto'
import type { AssetRef, NodeAssets } from '@patchbay/core'
import type { AssetRecord, Store } from '@patchbay/db'
import { type AssetStore, createNodeAssets } from '@patchbay/storage'

/**
 * The assets nodes see, per organisation: bytes in the AssetStore, records in the Store.
 * Each organisation's view is built once and reused by every attempt.
 */
export function nodeAssetsByOrg(store: Store, assets: AssetStore): (orgId: string) => NodeAssets {
  const byOrg = new Map<string, NodeAssets>()
  return (orgId) => {
    let orgAssets = byOrg.get(orgId)
    if (!orgAssets) {
      orgAssets = orgNodeAssets(store, assets, orgId)
      byOrg.set(orgId, orgAssets)
    }
    return orgAssets
  }
}

function orgNodeAssets(store: Store, assets: AssetStore, orgId: string): NodeAssets {
  return createNodeAssets({
    store: assets,
    newId: randomUUID,
    record: async (ref) => {
      const { storageKey, name, ...assetRef } = ref
      const saved = await store.upsertAsset({
        ...assetRef,
        orgId,
        storageKey,
        name: name ?? null,
        createdAt: new Date(),
      })
      return referenceOf(saved)
    },
    lookup: async (assetId) => {
      const saved = await store.getAsset(orgId, assetId)
      return saved && referenceOf(saved)
    },
  })
}

/** The reference nodes see of a stored asset: without its organisation, storage key and bookkeeping. */
function referenceOf(saved: AssetRecord): AssetRef {
  const { orgId: _org, storageKey: _key, name: _name, createdAt: _at, ...ref } = saved
  return ref
}
