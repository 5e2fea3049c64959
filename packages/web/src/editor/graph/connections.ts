import { describePort, isCompatible, type PortSpec } from '@patchbay/core'
import type { NodeCatalogEntry, Workflow } from '@patchbay/sdk'

export interface ConnectionEnds {
  source: string
  sourceHandle: string
  target: string
  targetHandle: string
}

export type ConnectionCheck = { ok: true; replaces: boolean } | { ok: false; reason: string }

/** The port spec of a handle, if the node and handle exist. */
export function portOf(
  document: Workflow,
  catalog: ReadonlyMap<string, NodeCatalogEntry>,
  nodeId: string,
  handle: string,
  side: 'inputs' | 'outputs',
): PortSpec | undefined {
  const node = document.nodes.find((candidate) => candidate.id === nodeId)
  return node ? catalog.get(node.type)?.[side][handle] : undefined
}

/**
 * Whether an edge may be drawn, and if not why, in words shown next to the cursor.
 * `replaces` tells that the target input takes one edge and already has one.
 */
export function checkConnection(
  document: Workflow,
  catalog: ReadonlyMap<string, NodeCatalogEntry>,
  ends: ConnectionEnds,
): ConnectionCheck {
  const from = portOf(document, catalog, ends.source, ends.sourceHandle, 'outputs')
  const to = portOf(document, catalog, ends.target, ends.targetHandle, 'inputs')
  if (!from || !to) return { ok: false, reason: 'connect an output to an input' }
  if (!isCompatible(from, to)) {
    const target = describePort(to)
    const article = /^[aeiou]/.test(target) ? 'an' : 'a'
    return { ok: false, reason: `${describePort(from)} output cannot feed ${article} ${target} input` }
  }
  if (ends.source === ends.target || reaches(document, ends.target, ends.source)) {
    return { ok: false, reason: 'this would create a cycle' }
  }
  const replaces =
    !to.multiple &&
    document.edges.some((edge) => edge.target === ends.target && edge.targetHandle === ends.targetHandle)
  return { ok: true, replaces }
}

/** Whether a path of edges leads from `from` to `to`. */
export function reaches(document: Workflow, from: string, to: string): boolean {
  const next = new Map<string, string[]>()
  for (const edge of document.edges) next.set(edge.source, [...(next.get(edge.source) ?? []), edge.target])
  const seen = new Set<string>()
  const stack = [from]
  while (stack.length > 0) {
    const id = stack.pop() as string
    if (id === to) return true
    if (seen.has(id)) continue
    seen.add(id)
    stack.push(...(next.get(id) ?? []))
  }
  return false
}

/** Inputs of `entry` an output of type `from` may feed, best match first. */
export function compatibleInputs(entry: NodeCatalogEntry, from: PortSpec): string[] {
  return Object.entries(entry.inputs)
    .filter(([, spec]) => isCompatible(from, spec))
    .sort(([, a], [, b]) => Number(a.type === 'any') - Number(b.type === 'any'))
    .map(([name]) => name)
}
