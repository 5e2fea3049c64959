import { z } from 'zod'

/** The value types that flow along edges. Media travels as {@link AssetRef}, never inline bytes. */
export const dataTypes = ['text', 'number', 'boolean', 'json', 'image', 'video', 'audio', 'file', 'any'] as const
export type DataType = (typeof dataTypes)[number]

export const mediaKinds = ['image', 'video', 'audio', 'file'] as const
export type MediaKind = (typeof mediaKinds)[number]

/** A reference to stored bytes. Nodes pass these between each other instead of the bytes. */
export const assetRefSchema = z.object({
  assetId: z.string().min(1),
  kind: z.enum(mediaKinds),
  mime: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  durationMs: z.number().nonnegative().optional(),
})
export type AssetRef = z.infer<typeof assetRefSchema>

export function isAssetRef(value: unknown): value is AssetRef {
  return assetRefSchema.safeParse(value).success
}

/** Declares one input or output handle of a node. */
export interface PortSpec {
  type: DataType
  /** The value is an array of `type`. */
  list?: boolean
  /** Inputs only: the node cannot run without a value here. */
  required?: boolean
  /** Inputs only: many edges may connect; the value is an array ordered by edge order. */
  multiple?: boolean
  label?: string
  description?: string
}

export type PortMap = Record<string, PortSpec>

/** Describes a port's type for messages, e.g. `image[]`. */
export function describePort(spec: PortSpec): string {
  return spec.list ? `${spec.type}[]` : spec.type
}

/**
 * Whether an edge from `source` may feed `target`. `any` matches everything; otherwise the
 * base types and the list-ness must agree, except that a list may feed a `multiple` port
 * (its items are collected with the other edges' values). Otherwise lists are never
 * unwrapped: fan-out over a list is an explicit iteration node.
 */
export function isCompatible(source: PortSpec, target: PortSpec): boolean {
  if (source.type === 'any' || target.type === 'any') return true
  if (source.type !== target.type) return false
  // A list may feed a port that collects many values: its items join the others.
  if (source.list && target.multiple && !target.list) return true
  return Boolean(source.list) === Boolean(target.list)
}
