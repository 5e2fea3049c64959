import { describe, expect, it } from 'vitest'
import { buildAdjacency, findCycles, withAncestors } from './graph.ts'
import type { WorkflowEdge } from './workflow/schema.ts'

let edgeCount = 0
function edge(source: string, target: string): WorkflowEdge {
  edgeCount += 1
  return { id: `e${edgeCount}`, source, sourceHandle: 'out', target, targetHandle: 'in' }
}

/** Cycles of a graph given as `a>b` pairs; nodes are taken from `ids`. */
function cyclesOf(ids: string[], pairs: string[]): string[][] {
  const edges = pairs.map((pair) => {
    const [source, target] = pair.split('>') as [string, string]
    return edge(source, target)
  })
  return findCycles(ids, buildAdjacency(ids, edges))
}

/** A cycle as a set-independent key: its distinct nodes, sorted. */
function members(cycle: string[]): string {
  expect(cycle[0]).toBe(cycle[cycle.length - 1])
  return [...cycle.slice(1)].sort().join(',')
}

/** Checks that each consecutive pair of a reported cycle is an edge of the graph. */
function expectFollowsEdges(cycle: string[], pairs: string[]): void {
  const known = new Set(pairs)
  const missing = cycle.slice(1).filter((target, i) => !known.has(`${cycle[i]}>${target}`))
  expect(missing).toEqual([])
}

describe('buildAdjacency', () => {
  it('lists incoming and outgoing edges per node in document order', () => {
    const e1 = edge('a', 'c')
    const e2 = edge('b', 'c')
    const e3 = edge('a', 'b')
    const adjacency = buildAdjacency(['a', 'b', 'c', 'lonely'], [e1, e2, e3])
    expect(adjacency.incoming.get('c')).toEqual([e1, e2])
    expect(adjacency.outgoing.get('a')).toEqual([e1, e3])
    expect(adjacency.incoming.get('a')).toEqual([])
    expect(adjacency.outgoing.get('lonely')).toEqual([])
    expect(adjacency.incoming.has('ghost')).toBe(false)
  })

  it('ignores the missing end of an edge to an unknown node', () => {
    const adjacency = buildAdjacency(['a'], [edge('a', 'ghost')])
    expect(adjacency.outgoing.get('a')).toHaveLength(1)
    expect(adjacency.incoming.has('ghost')).toBe(false)
  })
})

describe('findCycles', () => {
  it('finds none in a DAG', () => {
    expect(cyclesOf(['a', 'b', 'c', 'd'], ['a>b', 'a>c', 'b>d', 'c>d'])).toEqual([])
    expect(cyclesOf(['x'], [])).toEqual([])
    expect(cyclesOf([], [])).toEqual([])
  })

  it('finds none in a diamond with parallel edges', () => {
    expect(cyclesOf(['a', 'b'], ['a>b', 'a>b', 'a>b'])).toEqual([])
  })

  it('handles a 10,000-node chain without overflowing the stack', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `n${i}`)
    const chain = ids.slice(1).map((id, i) => `${ids[i]}>${id}`)
    expect(cyclesOf(ids, chain)).toEqual([])
  })

  it('finds the cycle closing a 10,000-node ring', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `n${i}`)
    const ring = ids.map((id, i) => `${id}>${ids[(i + 1) % ids.length]}`)
    const cycles = cyclesOf(ids, ring)
    expect(cycles).toHaveLength(1)
    expect(cycles[0]).toHaveLength(10_001)
    expectFollowsEdges(cycles[0] ?? [], ring)
  })

  it('reports a self-loop as [a, a]', () => {
    expect(cyclesOf(['a', 'b'], ['a>a', 'a>b'])).toEqual([['a', 'a']])
  })

  it('reports a two-node cycle with the first node repeated at the end', () => {
    const cycles = cyclesOf(['a', 'b'], ['a>b', 'b>a'])
    expect(cycles).toHaveLength(1)
    expect(members(cycles[0] ?? [])).toBe('a,b')
    expect(cycles[0]).toHaveLength(3)
  })

  it('reports each of several disjoint cycles', () => {
    const pairs = ['a>b', 'b>a', 'c>d', 'd>e', 'e>c', 'f>f', 'g>h']
    const cycles = cyclesOf(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], pairs)
    expect(cycles.map(members).sort()).toEqual(['a,b', 'c,d,e', 'f'])
    for (const cycle of cycles) expectFollowsEdges(cycle, pairs)
  })

  it('leaves a tail leading into a cycle out of the reported path', () => {
    const pairs = ['x>y', 'y>a', 'a>b', 'b>c', 'c>a']
    const cycles = cyclesOf(['x', 'y', 'a', 'b', 'c'], pairs)
    expect(cycles.map(members)).toEqual(['a,b,c'])
    expectFollowsEdges(cycles[0] ?? [], pairs)
  })

  it('reports a cycle with a tail hanging off it when the cycle edge is listed first', () => {
    const cycles = cyclesOf(['a', 'b', 'c'], ['a>b', 'b>a', 'b>c'])
    expect(cycles.map(members)).toEqual(['a,b'])
  })

  it('reports a cycle with a tail hanging off it when the tail edge is listed first', () => {
    // Kahn's pass leaves c (downstream of the cycle) in place; walking a → b → c then dead-ends.
    const cycles = cyclesOf(['a', 'b', 'c'], ['a>b', 'b>c', 'b>a'])
    expect(cycles.map(members)).toEqual(['a,b'])
  })

  it('reports a cycle whose walk starts at a downstream dead end', () => {
    const cycles = cyclesOf(['c', 'a', 'b'], ['a>b', 'b>a', 'b>c'])
    expect(cycles.map(members)).toEqual(['a,b'])
  })

  it('reports both of two disjoint cycles joined by an edge', () => {
    // c ⇄ d feeds a ⇄ b; the walk from c goes d → a (already reported) and gives up on c ⇄ d.
    const pairs = ['a>b', 'b>a', 'c>d', 'd>a', 'd>c']
    const cycles = cyclesOf(['a', 'b', 'c', 'd'], pairs)
    expect(cycles.map(members).sort()).toEqual(['a,b', 'c,d'])
  })
})

describe('withAncestors', () => {
  const pairs = ['a>b', 'b>d', 'c>d', 'd>e', 'x>y']
  const ids = ['a', 'b', 'c', 'd', 'e', 'x', 'y']
  const adjacency = buildAdjacency(
    ids,
    pairs.map((pair) => edge(...(pair.split('>') as [string, string]))),
  )

  it('returns the targets and everything upstream of them', () => {
    expect(withAncestors(['d'], adjacency)).toEqual(new Set(['a', 'b', 'c', 'd']))
    expect(withAncestors(['e', 'y'], adjacency)).toEqual(new Set(['a', 'b', 'c', 'd', 'e', 'x', 'y']))
  })

  it('returns a root alone and never adds descendants', () => {
    expect(withAncestors(['a'], adjacency)).toEqual(new Set(['a']))
    expect(withAncestors([], adjacency)).toEqual(new Set())
  })

  it('terminates on cycles', () => {
    const cyclic = buildAdjacency(['p', 'q', 'r'], [edge('p', 'q'), edge('q', 'p'), edge('r', 'p')])
    expect(withAncestors(['q'], cyclic)).toEqual(new Set(['p', 'q', 'r']))
  })

  it('handles a 10,000-node chain', () => {
    const chainIds = Array.from({ length: 10_000 }, (_, i) => `n${i}`)
    const chain = buildAdjacency(
      chainIds,
      chainIds.slice(1).map((id, i) => edge(chainIds[i] as string, id)),
    )
    expect(withAncestors(['n9999'], chain).size).toBe(10_000)
  })
})
