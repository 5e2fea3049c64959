import type { WorkflowEdge } from './workflow/schema.ts'

/** Incoming and outgoing edges of every node, each list in document order. */
export interface Adjacency {
  incoming: Map<string, WorkflowEdge[]>
  outgoing: Map<string, WorkflowEdge[]>
}

export function buildAdjacency(nodeIds: Iterable<string>, edges: readonly WorkflowEdge[]): Adjacency {
  const incoming = new Map<string, WorkflowEdge[]>()
  const outgoing = new Map<string, WorkflowEdge[]>()
  for (const id of nodeIds) {
    incoming.set(id, [])
    outgoing.set(id, [])
  }
  for (const edge of edges) {
    incoming.get(edge.target)?.push(edge)
    outgoing.get(edge.source)?.push(edge)
  }
  return { incoming, outgoing }
}

/**
 * Finds cycles. Returns one node path per cycle found (first node repeated at the end), or
 * an empty list for a DAG. Iterative, so deep graphs cannot overflow the stack.
 */
export function findCycles(nodeIds: readonly string[], adjacency: Adjacency): string[][] {
  // Kahn's algorithm peels off everything that is not on or behind a cycle...
  const indegree = new Map<string, number>()
  for (const id of nodeIds) indegree.set(id, adjacency.incoming.get(id)?.length ?? 0)
  const queue = nodeIds.filter((id) => indegree.get(id) === 0)
  const removed = new Set<string>()
  while (queue.length > 0) {
    const id = queue.pop() as string
    removed.add(id)
    for (const edge of adjacency.outgoing.get(id) ?? []) {
      const left = (indegree.get(edge.target) ?? 0) - 1
      indegree.set(edge.target, left)
      if (left === 0) queue.push(edge.target)
    }
  }
  const remaining = new Set(nodeIds.filter((id) => !removed.has(id)))
  // ...then each walk along remaining edges must revisit a node: that loop is a cycle.
  const cycles: string[][] = []
  const reported = new Set<string>()
  for (const start of remaining) {
    if (reported.has(start)) continue
    const path: string[] = []
    const position = new Map<string, number>()
    let current: string | undefined = start
    while (current !== undefined && !position.has(current) && !reported.has(current)) {
      position.set(current, path.length)
      path.push(current)
      current = adjacency.outgoing.get(current)?.find((edge) => remaining.has(edge.target))?.target
    }
    if (current !== undefined && position.has(current)) {
      const cycle = path.slice(position.get(current))
      for (const id of cycle) reported.add(id)
      cycles.push([...cycle, current])
    }
    for (const id of path) reported.add(id)
  }
  return cycles
}

/** `targets` and every node they depend on, transitively. */
export function withAncestors(targets: Iterable<string>, adjacency: Adjacency): Set<string> {
  const result = new Set<string>()
  const stack = [...targets]
  while (stack.length > 0) {
    const id = stack.pop() as string
    if (result.has(id)) continue
    result.add(id)
    for (const edge of adjacency.incoming.get(id) ?? []) stack.push(edge.source)
  }
  return result
}
