import { z } from 'zod'
import type { PortMap } from './data-types.ts'
import type { AnyNodeDefinition } from './node-sdk.ts'

/** The node types an engine, validator or canvas knows about. */
export interface NodeRegistry {
  get(type: string): AnyNodeDefinition | undefined
  list(): AnyNodeDefinition[]
}

/** Builds a registry from a record of definitions keyed by their type. */
export function createRegistry(definitions: Record<string, AnyNodeDefinition>): NodeRegistry {
  const byType = new Map<string, AnyNodeDefinition>()
  for (const [key, definition] of Object.entries(definitions)) {
    if (key !== definition.type) throw new Error(`registry key ${key} does not match node type ${definition.type}`)
    byType.set(key, definition)
  }
  return {
    get: (type) => byType.get(type),
    list: () => [...byType.values()],
  }
}

/** One node type as the canvas, API and docs see it: plain JSON, params as JSON Schema. */
export interface NodeCatalogEntry {
  type: string
  version: number
  category: string
  title: string
  description?: string
  inputs: PortMap
  outputs: PortMap
  params: unknown
  cacheable: boolean | 'depends-on-params'
}

export function nodeCatalog(registry: NodeRegistry): NodeCatalogEntry[] {
  return registry
    .list()
    .map((definition) => ({
      type: definition.type,
      version: definition.version,
      category: definition.category,
      title: definition.title,
      ...(definition.description ? { description: definition.description } : {}),
      inputs: definition.inputs,
      outputs: definition.outputs,
      params: z.toJSONSchema(definition.params, { io: 'input', unrepresentable: 'any' }),
      cacheable:
        typeof definition.cacheable === 'function' ? ('depends-on-params' as const) : (definition.cacheable ?? true),
    }))
    .sort((a, b) => a.type.localeCompare(b.type))
}
