import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineNode } from '../node-sdk.ts'
import { createRegistry } from '../registry.ts'
import type { Workflow, WorkflowEdge } from '../workflow/schema.ts'
import { RunGraph } from './run-graph.ts'

const pass = defineNode({
  type: 'pass',
  version: 1,
  category: 'test',
  title: 'Pass',
  inputs: { in: { type: 'any', multiple: true }, side: { type: 'text', required: true } },
  outputs: { out: { type: 'any' } },
  params: z.object({}),
  async run({ inputs }) {
    return { out: inputs.in }
  },
})

const registry = createRegistry({ pass })

function edge(id: string, source: string, target: string): WorkflowEdge {
  return { id, source, sourceHandle: 'out', target, targetHandle: 'in' }
}

//   a → b → d → e
//   c ────↗     ↘ f
//   x → y
const edges = [
  edge('ab', 'a', 'b'),
  edge('bd', 'b', 'd'),
  edge('cd', 'c', 'd'),
  edge('de', 'd', 'e'),
  edge('df', 'd', 'f'),
  edge('xy', 'x', 'y'),
]
const workflow: Workflow = {
  schemaVersion: 1,
  name: 'graph',
  inputs: {},
  nodes: ['a', 'b', 'c', 'd', 'e', 'f', 'x', 'y'].map((id) => ({ id, type: 'pass', params: {} })),
  edges,
}

const ids = (list: readonly WorkflowEdge[]) => list.map((e) => e.id)

describe('RunGraph.from', () => {
  it('includes every node when no selection is given', () => {
    const graph = RunGraph.from(workflow, registry)
    expect([...graph.nodes.keys()]).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'x', 'y'])
    const d = graph.get('d')
    expect(d.node).toBe(workflow.nodes[3])
    expect(d.inputs).toBe(pass.inputs)
    expect(ids(d.incoming)).toEqual(['bd', 'cd'])
    expect(ids(d.outgoing)).toEqual(['de', 'df'])
  })

  it('includes exactly the selection and its ancestors', () => {
    const graph = RunGraph.from(workflow, registry, ['e'])
    expect(new Set(graph.nodes.keys())).toEqual(new Set(['a', 'b', 'c', 'd', 'e']))
    const both = RunGraph.from(workflow, registry, ['b', 'y'])
    expect(new Set(both.nodes.keys())).toEqual(new Set(['a', 'b', 'x', 'y']))
  })

  it('trims outgoing edges to the selection and keeps incoming ones', () => {
    const graph = RunGraph.from(workflow, registry, ['e'])
    expect(ids(graph.get('d').outgoing)).toEqual(['de'])
    expect(ids(graph.get('d').incoming)).toEqual(['bd', 'cd'])
    expect(ids(graph.get('e').outgoing)).toEqual([])
    const partial = RunGraph.from(workflow, registry, ['b'])
    expect(ids(partial.get('b').outgoing)).toEqual([])
    expect(ids(partial.get('a').outgoing)).toEqual(['ab'])
  })

  it('throws for a node type the registry does not know', () => {
    const unknown: Workflow = { ...workflow, nodes: [{ id: 'z', type: 'mystery', params: {} }], edges: [] }
    expect(() => RunGraph.from(unknown, registry)).toThrow(/unknown node type mystery/)
  })

  it('does not look up node types outside the selection', () => {
    const mixed: Workflow = {
      ...workflow,
      nodes: [...workflow.nodes, { id: 'z', type: 'mystery', params: {} }],
    }
    expect([...RunGraph.from(mixed, registry, ['a']).nodes.keys()]).toEqual(['a'])
  })
})

describe('RunGraph', () => {
  const graph = RunGraph.from(workflow, registry)

  it('throws for a node that is not part of the run', () => {
    expect(() => graph.get('nope')).toThrow(/node nope is not part of this run/)
    const partial = RunGraph.from(workflow, registry, ['a'])
    expect(() => partial.get('b')).toThrow(/not part of this run/)
  })

  it('lists the distinct direct successors of several nodes', () => {
    expect(graph.successors(['b', 'c'])).toEqual(new Set(['d']))
    expect(graph.successors(['d', 'x'])).toEqual(new Set(['e', 'f', 'y']))
    expect(graph.successors(['e'])).toEqual(new Set())
  })

  it('lists only successors inside a partial run', () => {
    expect(RunGraph.from(workflow, registry, ['e']).successors(['d'])).toEqual(new Set(['e']))
  })
})
