import { randomUUID } from 'node:crypto'
import {
  type AssetInput,
  type AssetRef,
  assetRefSchema,
  kindFromMime,
  type NodeAssets,
  NodeError,
  PatchbayError,
} from '@patchbay/core'
import type { AssetStore } from './asset-store.ts'

/** What {@link CreateNodeAssetsOptions.record} receives: the new reference plus where its bytes live. */
export type AssetRecord = AssetRef & {
  /** The store key of the bytes (for local and memory stores, the sha256). */
  storageKey: string
  /** Original file name, when the node gave one. */
  name?: string
}

export interface CreateNodeAssetsOptions {
  store: AssetStore
  /** Makes the `assetId` of a new reference (default: a random UUID). */
  newId?: () => string
  /**
   * Persists the asset (e.g. a database row) and returns the reference nodes should see. It
   * may return an existing reference with another `assetId` when the same content is known.
   * Default: keep the reference as built.
   */
  record?: (asset: AssetRecord) => Promise<AssetRef> | AssetRef
  /** Finds an existing asset by id (e.g. in the database). Default: none are found. */
  lookup?: (assetId: string) => Promise<AssetRef | undefined>
}

/**
 * Builds the `ctx.assets` a node sees on top of an {@link AssetStore}. References are
 * addressed by `ref.sha256`, the store key of content-addressed stores.
 *
 * @example
 * const assets = createNodeAssets({ store, newId: () => ids.next(), record: (asset) => repo.upsertAsset(asset) })
 * const ref = await assets.put(pngBytes, { mime: 'image/png', width: 64, height: 64 })
 */
export function createNodeAssets(options: CreateNodeAssetsOptions): NodeAssets {
  const { store, newId = randomUUID, record = stripRecord, lookup = async () => undefined } = options
  return {
    async put(data, meta) {
      const described = describe(meta)
      const blob = await store.put(data)
      const ref: AssetRef = { assetId: newId(), ...described, bytes: blob.bytes, sha256: blob.sha256 }
      return record({ ...ref, storageKey: blob.key, ...(meta.name === undefined ? {} : { name: meta.name }) })
    },
    read: (ref) => store.read(ref.sha256),
    stream: (ref) => store.stream(ref.sha256),
    localPath: (ref) => store.localPath(ref.sha256),
    async get(assetId) {
      const ref = await lookup(assetId)
      if (!ref) throw new NodeError('ASSET_NOT_FOUND', `there is no asset ${assetId}`, { details: { assetId } })
      return ref
    },
  }
}

/** The media fields of a reference, checked before any bytes are stored so a bad call leaves nothing behind. */
function describe(meta: AssetInput): Pick<AssetRef, 'kind' | 'mime' | 'width' | 'height' | 'durationMs'> {
  const fields = {
    kind: meta.kind ?? kindFromMime(meta.mime),
    mime: meta.mime,
    ...(meta.width === undefined ? {} : { width: meta.width }),
    ...(meta.height === undefined ? {} : { height: meta.height }),
    ...(meta.durationMs === undefined ? {} : { durationMs: meta.durationMs }),
  }
  const checked = assetRefSchema.pick({ kind: true, mime: true, width: true, height: true, durationMs: true })
  const parsed = checked.safeParse(fields)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')
    throw new PatchbayError('INVALID_ASSET_META', `invalid asset metadata: ${problems}`, { details: { meta } })
  }
  return fields
}

function stripRecord({ storageKey: _storageKey, name: _name, ...ref }: AssetRecord): AssetRef {
  return ref
}
