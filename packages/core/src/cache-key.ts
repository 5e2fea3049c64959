import { hashValue, type Sha256 } from './canonical.ts'
import { isAssetRef } from './data-types.ts'
import { isPlainObject } from './template.ts'

/**
 * The content address of a node execution: node type and version, canonical params (after
 * input substitution) and input values, with assets identified by their bytes' hash rather
 * than their id, so the same image uploaded twice hits the same cache entry.
 */
export function computeCacheKey(
  args: { type: string; version: number; params: unknown; inputs: Record<string, unknown> },
  sha256?: Sha256,
): string {
  const material = { v: 1, type: args.type, version: args.version, params: args.params, inputs: byContent(args.inputs) }
  return hashValue(material, sha256)
}

function byContent(value: unknown): unknown {
  if (isAssetRef(value)) return { $asset: value.sha256, mime: value.mime }
  if (Array.isArray(value)) return value.map(byContent)
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = Object.create(null)
    for (const [key, item] of Object.entries(value)) out[key] = byContent(item)
    return out
  }
  return value
}
