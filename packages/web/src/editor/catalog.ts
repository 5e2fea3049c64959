import type { ModelCatalog, NodeCatalogEntry } from '@patchbay/sdk'
import { useQuery } from '@tanstack/react-query'
import { api } from '../app/api.ts'

export type NodeCatalog = ReadonlyMap<string, NodeCatalogEntry>

const toMap = (answer: { items: NodeCatalogEntry[] }): NodeCatalog =>
  new Map(answer.items.map((entry) => [entry.type, entry]))

/** The node types the server knows, by type. They change only with a server upgrade. */
export function useNodeCatalog() {
  return useQuery({
    queryKey: ['catalog', 'nodes'],
    queryFn: () => api.catalog.nodes(),
    staleTime: Number.POSITIVE_INFINITY,
    select: toMap,
  })
}

/** Models and providers, with whether the organisation has each provider's key. */
export function useModelCatalog() {
  return useQuery<ModelCatalog>({
    queryKey: ['catalog', 'models'],
    queryFn: () => api.catalog.models(),
    staleTime: 60_000,
  })
}

/** The model capability a node type's `model` param picks from. */
export function capabilityOf(nodeType: string): string {
  return nodeType === 'llm.chat' || nodeType.startsWith('llm.') ? 'chat' : nodeType
}

/** Colour of a node category (the card's stripe). */
export function categoryColor(category: string): string {
  const known: Record<string, string> = {
    ai: 'var(--pb-accent, #4f46e5)',
    image: 'var(--pb-type-image, #16a34a)',
    video: 'var(--pb-type-video, #ea580c)',
    audio: 'var(--pb-type-audio, #2563eb)',
    text: 'var(--pb-type-text, #0891b2)',
    input: 'var(--pb-type-json, #ca8a04)',
    output: 'var(--pb-type-boolean, #db2777)',
    logic: 'var(--pb-type-number, #7c3aed)',
  }
  return known[category] ?? 'var(--pb-type-any, #9ca3af)'
}

const typeFallback: Record<string, string> = {
  text: '#0891b2',
  number: '#7c3aed',
  boolean: '#db2777',
  json: '#ca8a04',
  image: '#16a34a',
  video: '#ea580c',
  audio: '#2563eb',
  file: '#64748b',
  any: '#9ca3af',
}

/** Colour of a data type (handles, edges). */
export function typeColor(type: string): string {
  return `var(--pb-type-${type}, ${typeFallback[type] ?? '#9ca3af'})`
}
