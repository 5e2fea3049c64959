import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineNode } from '../node-sdk.ts'
import { createRegistry } from '../registry.ts'
import type { Workflow } from '../workflow/schema.ts'
import { decide, runOutcome } from './decide.ts'
import { RunGraph } from './run-graph.ts'
import type { NodeRunState, NodeStatus } from './states.ts'

const source = defineNode({
  type: 'source',
  version: 1,
  category: 'test',
  title: 'Source',
  inputs: {},
  outputs: { a: { type: 'any' }, b: { type: 'any' } },
  params: z.object({}),
  async run() {
    return { a: 1 }
  },
})

const single = defineNode({
  type: 'single',
  version: 1,
  category: 'test',
  title: 'Single',
  inputs: { in: { type: 'any' } },
  outputs: { out: { type: 'any' } },
  params: z.object({}),
  async run({ inputs }) {
    return { out: inputs.in }
  },
})

const gather = defineNode({
  type: 'gather',
  version: 1,
  category: 'test',
  title: 'Gather',
  inputs: { items: { type: 'any', multiple: true }, extra: { type: 'any' } },
  outputs: { out: { type: 'any', list: true } },
  params: z.object({}),
  async run({ inputs }) {
    return { out: inputs.items ?? [] }
  },
})

const needs = defineNode({
  type: 'needs',
  version: 1,
  category: 'test',
  title: 'Needs',
  inputs: { main: { type: 'any', required: true }, optional: { type: 'any' } },
  outputs: { out: { type: 'any' } },
  params: z.object({}),
  async run({ inputs }) {
    return { out: inputs.main }
  },
})

const texts = defineNode({
  type: 'texts',
  version: 1,
  category: 'test',
  title: 'Texts',
  inputs: {},
  outputs: { one: { type: 'text' }, many: { type: 'text', list: true } },
  params: z.object({}),
  async run() {
    return { one: 'a', many: ['b', 'c'] as string[] }
  },
})

const joinTexts = defineNode({
  type: 'join-texts',
  version: 1,
  category: 'test',
  title: 'Join texts',
  inputs: { texts: { type: 'text', multiple: true } },
  outputs: { text: { type: 'text' } },
  params: z.object({}),
  async run({ inputs }) {
    return { text: (inputs.texts ?? []).join() }
  },
})

const registry = createRegistry({ source, single, gather, needs, texts, 'join-texts': joinTexts })

type EdgeSpec = [id: string, source: string, sourceHandle: string, target: string, targetHandle: string]

function graphOf(nodes: Record<string, string>, edges: EdgeSpec[] = []): RunGraph {
  const workflow: Workflow = {
    schemaVersion: 1,
    name: 'test',
    inputs: {},
    nodes: Object.entries(nodes).map(([id, type]) => ({ id, type, params: {} })),
    edges: edges.map(([id, source, sourceHandle, target, targetHandle]) => ({
      id,
      source,
      sourceHandle,
      target,
      targetHandle,
    })),
  }
  return RunGraph.from(workflow, registry)
}

function states(entries: Record<string, NodeRunState | NodeStatus>): Map<string, NodeRunState> {
  return new Map(
    Object.entries(entries).map(([id, state]) => [id, typeof state === 'string' ? { status: state } : state]),
  )
}

const succeeded = (outputs: Record<string, unknown>): NodeRunState => ({ status: 'succeeded', outputs })

describe('decide: readiness', () => {
  it('runs a node with no incoming edges at once, with no inputs', () => {
    const graph = graphOf({ s: 'source', g: 'gather' })
    expect(decide(graph, states({ s: 'pending', g: 'pending' }), ['s', 'g'])).toEqual([
      { nodeId: 's', action: 'run', inputs: {} },
      { nodeId: 'g', action: 'run', inputs: {} },
    ])
  })

  it('waits until every incoming edge is resolved', () => {
    const graph = graphOf({ s1: 'source', s2: 'source', g: 'gather' }, [
      ['e1', 's1', 'a', 'g', 'items'],
      ['e2', 's2', 'a', 'g', 'extra'],
    ])
    for (const status of ['pending', 'queued', 'running'] as const) {
      expect(decide(graph, states({ s1: succeeded({ a: 1 }), s2: status, g: 'pending' }), ['g'])).toEqual([])
    }
    // A source with no state at all is not resolved either.
    expect(decide(graph, states({ s1: succeeded({ a: 1 }), g: 'pending' }), ['g'])).toEqual([])
    expect(decide(graph, states({ s1: succeeded({ a: 1 }), s2: succeeded({ a: 2 }), g: 'pending' }), ['g'])).toEqual([
      { nodeId: 'g', action: 'run', inputs: { items: [1], extra: 2 } },
    ])
  })

  it('waits for a pending edge even when an earlier edge failed', () => {
    const graph = graphOf({ s1: 'source', s2: 'source', g: 'gather' }, [
      ['e1', 's1', 'a', 'g', 'items'],
      ['e2', 's2', 'a', 'g', 'items'],
    ])
    expect(decide(graph, states({ s1: 'failed', s2: 'running', g: 'pending' }), ['g'])).toEqual([])
  })

  it('ignores candidates that are not pending', () => {
    const graph = graphOf({ s: 'source', t: 'single' }, [['e1', 's', 'a', 't', 'in']])
    for (const status of ['queued', 'running', 'succeeded', 'failed', 'skipped', 'cached', 'canceled'] as const) {
      expect(decide(graph, states({ s: status, t: status }), ['s', 't'])).toEqual([])
    }
    // A node without any state is not pending either.
    expect(decide(graph, states({}), ['s'])).toEqual([])
  })

  it('decides only for the candidates it is given', () => {
    const graph = graphOf({ s1: 'source', s2: 'source' })
    expect(decide(graph, states({ s1: 'pending', s2: 'pending' }), ['s2'])).toEqual([
      { nodeId: 's2', action: 'run', inputs: {} },
    ])
  })
})

describe('decide: input values', () => {
  it('passes the value of each active edge to its target handle', () => {
    const graph = graphOf({ s: 'source', n: 'needs' }, [
      ['e1', 's', 'a', 'n', 'main'],
      ['e2', 's', 'b', 'n', 'optional'],
    ])
    const value = { nested: [1, 2] }
    expect(decide(graph, states({ s: succeeded({ a: value, b: 'x' }), n: 'pending' }), ['n'])).toEqual([
      { nodeId: 'n', action: 'run', inputs: { main: value, optional: 'x' } },
    ])
  })

  it('gathers a `multiple` input as an array in edge order, not node order', () => {
    const graph = graphOf({ s1: 'source', s2: 'source', s3: 'source', g: 'gather' }, [
      ['e1', 's2', 'a', 'g', 'items'],
      ['e2', 's3', 'a', 'g', 'items'],
      ['e3', 's1', 'a', 'g', 'items'],
    ])
    const result = decide(
      graph,
      states({ s1: succeeded({ a: 'one' }), s2: succeeded({ a: 'two' }), s3: succeeded({ a: 'three' }), g: 'pending' }),
      ['g'],
    )
    expect(result).toEqual([{ nodeId: 'g', action: 'run', inputs: { items: ['two', 'three', 'one'] } }])
  })

  it('adds the items of a list edge to a `multiple` input of single values', () => {
    const graph = graphOf({ t: 'texts', j: 'join-texts' }, [
      ['e1', 't', 'one', 'j', 'texts'],
      ['e2', 't', 'many', 'j', 'texts'],
    ])
    const result = decide(graph, states({ t: succeeded({ one: 'a', many: ['b', 'c'] }), j: 'pending' }), ['j'])
    expect(result).toEqual([{ nodeId: 'j', action: 'run', inputs: { texts: ['a', 'b', 'c'] } }])
  })

  it('keeps an array as one value on a `multiple` input of type any', () => {
    const graph = graphOf({ s: 'source', g: 'gather' }, [['e1', 's', 'a', 'g', 'items']])
    const result = decide(graph, states({ s: succeeded({ a: [1, 2] }), g: 'pending' }), ['g'])
    expect(result).toEqual([{ nodeId: 'g', action: 'run', inputs: { items: [[1, 2]] } }])
  })

  it('leaves inactive edges out of a `multiple` input', () => {
    const graph = graphOf({ s1: 'source', s2: 'source', g: 'gather' }, [
      ['e1', 's1', 'a', 'g', 'items'],
      ['e2', 's2', 'b', 'g', 'items'],
      ['e3', 's1', 'b', 'g', 'items'],
    ])
    const result = decide(graph, states({ s1: succeeded({ a: 1 }), s2: succeeded({ b: 2 }), g: 'pending' }), ['g'])
    expect(result).toEqual([{ nodeId: 'g', action: 'run', inputs: { items: [1, 2] } }])
  })

  it('treats a cached source like a succeeded one', () => {
    const graph = graphOf({ s: 'source', t: 'single' }, [['e1', 's', 'a', 't', 'in']])
    const cached: NodeRunState = { status: 'cached', outputs: { a: 'from cache' } }
    expect(decide(graph, states({ s: cached, t: 'pending' }), ['t'])).toEqual([
      { nodeId: 't', action: 'run', inputs: { in: 'from cache' } },
    ])
  })

  it('runs with only the active inputs when an optional one is inactive', () => {
    const graph = graphOf({ s: 'source', n: 'needs' }, [
      ['e1', 's', 'a', 'n', 'main'],
      ['e2', 's', 'b', 'n', 'optional'],
    ])
    expect(decide(graph, states({ s: succeeded({ a: 1 }), n: 'pending' }), ['n'])).toEqual([
      { nodeId: 'n', action: 'run', inputs: { main: 1 } },
    ])
  })
})

describe('decide: skips', () => {
  it('skips a node whose only edge carries an absent output as branch_inactive', () => {
    const graph = graphOf({ s: 'source', t: 'single' }, [['e1', 's', 'b', 't', 'in']])
    for (const outputs of [{ a: 1 }, {}, { b: undefined }, null]) {
      expect(decide(graph, states({ s: { status: 'succeeded', outputs }, t: 'pending' }), ['t'])).toEqual([
        { nodeId: 't', action: 'skip', reason: 'branch_inactive' },
      ])
    }
  })

  it('treats a source skipped as branch_inactive as inactive', () => {
    const graph = graphOf({ s: 'source', t: 'single' }, [['e1', 's', 'a', 't', 'in']])
    const skipped: NodeRunState = { status: 'skipped', skipReason: 'branch_inactive' }
    expect(decide(graph, states({ s: skipped, t: 'pending' }), ['t'])).toEqual([
      { nodeId: 't', action: 'skip', reason: 'branch_inactive' },
    ])
  })

  it('propagates failed, canceled and upstream_failed sources as upstream_failed', () => {
    const graph = graphOf({ s: 'source', t: 'single' }, [['e1', 's', 'a', 't', 'in']])
    const failing: NodeRunState[] = [
      { status: 'failed' },
      { status: 'canceled' },
      { status: 'skipped', skipReason: 'upstream_failed' },
    ]
    for (const state of failing) {
      expect(decide(graph, states({ s: state, t: 'pending' }), ['t'])).toEqual([
        { nodeId: 't', action: 'skip', reason: 'upstream_failed' },
      ])
    }
  })

  it('skips as upstream_failed even when other edges are active', () => {
    const graph = graphOf({ s1: 'source', s2: 'source', g: 'gather' }, [
      ['e1', 's1', 'a', 'g', 'items'],
      ['e2', 's2', 'a', 'g', 'items'],
    ])
    expect(decide(graph, states({ s1: succeeded({ a: 1 }), s2: 'failed', g: 'pending' }), ['g'])).toEqual([
      { nodeId: 'g', action: 'skip', reason: 'upstream_failed' },
    ])
  })

  it('skips a node whose required input has no active edge, even if another input is active', () => {
    const graph = graphOf({ s: 'source', n: 'needs' }, [
      ['e1', 's', 'b', 'n', 'main'],
      ['e2', 's', 'a', 'n', 'optional'],
    ])
    expect(decide(graph, states({ s: succeeded({ a: 1 }), n: 'pending' }), ['n'])).toEqual([
      { nodeId: 'n', action: 'skip', reason: 'branch_inactive' },
    ])
  })

  it('skips a node with a required input and no edges at all', () => {
    const graph = graphOf({ n: 'needs' })
    expect(decide(graph, states({ n: 'pending' }), ['n'])).toEqual([
      { nodeId: 'n', action: 'skip', reason: 'branch_inactive' },
    ])
  })

  it('skips a node whose edges are all inactive, even if none is required', () => {
    const graph = graphOf({ s1: 'source', s2: 'source', g: 'gather' }, [
      ['e1', 's1', 'a', 'g', 'items'],
      ['e2', 's2', 'a', 'g', 'extra'],
    ])
    const skipped: NodeRunState = { status: 'skipped', skipReason: 'branch_inactive' }
    expect(decide(graph, states({ s1: succeeded({}), s2: skipped, g: 'pending' }), ['g'])).toEqual([
      { nodeId: 'g', action: 'skip', reason: 'branch_inactive' },
    ])
  })
})

describe('runOutcome', () => {
  it('is undefined while any node is not terminal', () => {
    for (const status of ['pending', 'queued', 'running'] as const) {
      expect(runOutcome(states({ a: 'succeeded', b: status, c: 'failed' }))).toBeUndefined()
    }
  })

  it('is succeeded when every node succeeded, was cached or skipped', () => {
    expect(runOutcome(states({ a: 'succeeded', b: 'cached', c: 'skipped' }))).toBe('succeeded')
    expect(runOutcome(states({}))).toBe('succeeded')
  })

  it('is failed when a node failed and none was canceled', () => {
    expect(runOutcome(states({ a: 'succeeded', b: 'failed', c: 'skipped' }))).toBe('failed')
  })

  it('is canceled when any node was canceled, even alongside failures', () => {
    expect(runOutcome(states({ a: 'failed', b: 'canceled', c: 'succeeded' }))).toBe('canceled')
    expect(runOutcome(states({ a: 'canceled', b: 'failed' }))).toBe('canceled')
  })
})
