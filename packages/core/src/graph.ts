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
 * Finds cycles: one node path per strongly connected component that loops (first node
 * repeated at the end), or an empty list for a DAG. Tarjan's algorithm, iterative so deep
 * graphs cannot overflow the stack.
 */
export function findCycles(nodeIds: readonly string[], adjacency: Adjacency): string[][] {
  const successors = (id: string) => (adjacency.outgoing.get(id) ?? []).map((edge) => edge.target)
  const cycles: string[][] = []
  for (const component of stronglyConnected(nodeIds, successors)) {
    const members = new Set(component)
    const first = component[0] as string
    const selfLoop = successors(first).includes(first)
    if (component.length === 1 && !selfLoop) continue
    // Inside a looping component every node has a successor in it, so a walk must revisit.
    const path: string[] = []
    const position = new Map<string, number>()
    let current = first
    while (!position.has(current)) {
      position.set(current, path.length)
      path.push(current)
      current = successors(current).find((next) => members.has(next)) as string
    }
    cycles.push([...path.slice(position.get(current)), current])
  }
  return cycles
}

function stronglyConnected(nodeIds: readonly string[], successors: (id: string) => string[]): string[][] {
  const index = new Map<string, number>()
  const lowlink = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const components: string[][] = []
  let counter = 0
  for (const root of nodeIds) {
    if (index.has(root)) continue
    const work: { id: string; next: string[]; position: number }[] = []
    const visit = (id: string) => {
      index.set(id, counter)
      lowlink.set(id, counter)
      counter++
      stack.push(id)
      onStack.add(id)
      work.push({ id, next: successors(id), position: 0 })
    }
    visit(root)
    while (work.length > 0) {
      const frame = work[work.length - 1] as (typeof work)[number]
      if (frame.position < frame.next.length) {
        const next = frame.next[frame.position++] as string
        if (!index.has(next)) visit(next)
        else if (onStack.has(next)) lowlink.set(frame.id, Math.min(lowlink.get(frame.id)!, index.get(next)!))
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent) lowlink.set(parent.id, Math.min(lowlink.get(parent.id)!, lowlink.get(frame.id)!))
      if (lowlink.get(frame.id) === index.get(frame.id)) {
        const component: string[] = []
        let member: string
        do {
          member = stack.pop() as string
          onStack.delete(member)
          component.push(member)
        } while (member !== frame.id)
        components.push(component.reverse())
      }
    }
  }
  return components
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
