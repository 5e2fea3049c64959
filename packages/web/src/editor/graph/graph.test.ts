import type { Workflow } from '@patchbay/core'
import type { NodeCatalogEntry } from '@patchbay/sdk'
import { describe, expect, it } from 'vitest'
import { copySelection, instantiate, parseClipboard } from './clipboard.ts'
import { checkConnection } from './connections.ts'
import { connect, moveNodes, newNodeId, removeElements, setParam } from './document-ops.ts'
import { layeredLayout } from './layout.ts'

const entry = (type: string, inputs: NodeCatalogEntry['inputs'], outputs: NodeCatalogEntry['outputs']) => ({
  type,
  version: 1,
  category: 'text',
  title: type,
  inputs,
  outputs,
  params: {},
  cacheable: true as const,
})

const catalog = new Map<string, NodeCatalogEntry>([
  ['text.template', entry('text.template', { text: { type: 'text' } }, { text: { type: 'text' } })],
  ['text.join', entry('text.join', { texts: { type: 'text', multiple: true } }, { text: { type: 'text' } })],
  ['image.resize', entry('image.resize', { image: { type: 'image', required: true } }, { image: { type: 'image' } })],
])

const doc: Workflow = {
  schemaVersion: 1,
  name: 'Test',
  inputs: {},
  nodes: [
    { id: 'a', type: 'text.template', params: {}, position: { x: 0, y: 0 } },
    { id: 'b', type: 'text.template', params: {}, position: { x: 300, y: 0 } },
    { id: 'c', type: 'text.join', params: {}, position: { x: 600, y: 0 } },
    { id: 'img', type: 'image.resize', params: {}, position: { x: 0, y: 300 } },
  ],
  edges: [{ id: 'e1', source: 'a', sourceHandle: 'text', target: 'b', targetHandle: 'text' }],
}

describe('checkConnection', () => {
  it('refuses incompatible types with a reason', () => {
    const check = checkConnection(doc, catalog, {
      source: 'a',
      sourceHandle: 'text',
      target: 'img',
      targetHandle: 'image',
    })
    expect(check).toEqual({ ok: false, reason: 'text output cannot feed an image input' })
  })
  it('refuses cycles', () => {
    const check = checkConnection(doc, catalog, {
      source: 'b',
      sourceHandle: 'text',
      target: 'a',
      targetHandle: 'text',
    })
    expect(check).toEqual({ ok: false, reason: 'this would create a cycle' })
  })
  it('tells when a single input is replaced, not a multiple one', () => {
    expect(
      checkConnection(doc, catalog, { source: 'c', sourceHandle: 'text', target: 'b', targetHandle: 'text' }),
    ).toEqual({
      ok: true,
      replaces: true,
    })
    expect(
      checkConnection(doc, catalog, { source: 'b', sourceHandle: 'text', target: 'c', targetHandle: 'texts' }),
    ).toEqual({
      ok: true,
      replaces: false,
    })
  })
})

describe('document ops', () => {
  it('replaces the old edge of a single input', () => {
    const next = connect(doc, { id: 'e2', source: 'c', sourceHandle: 'text', target: 'b', targetHandle: 'text' }, true)
    expect(next.edges.map((edge) => edge.id)).toEqual(['e2'])
  })
  it('returns the same document when nothing changes (no empty undo step)', () => {
    expect(moveNodes(doc, { a: { x: 0, y: 0 } })).toBe(doc)
    expect(setParam(doc, 'a', 'template', undefined)).toBe(doc)
    expect(removeElements(doc, ['nope'])).toBe(doc)
  })
  it('removes a node with its edges', () => {
    const next = removeElements(doc, ['a'])
    expect(next.nodes.map((node) => node.id)).toEqual(['b', 'c', 'img'])
    expect(next.edges).toEqual([])
  })
  it('names new nodes after their type', () => {
    expect(newNodeId('text.template', new Set(['template-1']))).toBe('template-2')
  })
})

describe('clipboard', () => {
  it('round-trips the selection with new ids and the edges among it', () => {
    const payload = copySelection(doc, ['a', 'b'])
    const parsed = parseClipboard(JSON.stringify(payload))
    expect(parsed?.edges).toHaveLength(1)
    const copies = instantiate(doc, parsed as NonNullable<typeof parsed>, { offset: { x: 40, y: 40 } })
    expect(copies.nodes.map((node) => node.id)).toEqual(['template-1', 'template-2'])
    expect(copies.nodes[0]?.position).toEqual({ x: 40, y: 40 })
    expect(copies.edges[0]).toMatchObject({ source: 'template-1', target: 'template-2' })
  })
  it('ignores other clipboard text', () => {
    expect(parseClipboard('hello')).toBeNull()
    expect(parseClipboard('{"nodes":[]}')).toBeNull()
  })
})

describe('layeredLayout', () => {
  it('puts each node one column right of its deepest parent', () => {
    const positions = layeredLayout(doc, new Map())
    expect(positions.a?.x).toBe(0)
    expect(positions.img?.x).toBe(0)
    expect(positions.b?.x).toBeGreaterThan(0)
    expect(positions.c?.x).toBe(0) // no edge into c
  })

  it('lays a group out as one block with its contents, and leaves notes outside groups alone', () => {
    const size = { width: 200, height: 100 }
    const grouped: Workflow = {
      ...doc,
      nodes: [
        { id: 'src', type: 'text.template', params: {}, position: { x: 900, y: 900 } },
        { id: 'in1', type: 'text.template', params: {}, position: { x: 40, y: 80 } },
        { id: 'in2', type: 'text.template', params: {}, position: { x: 300, y: 80 } },
        { id: 'out', type: 'text.join', params: {}, position: { x: -500, y: 0 } },
      ],
      edges: [
        { id: 'e1', source: 'src', sourceHandle: 'text', target: 'in1', targetHandle: 'text' },
        { id: 'e2', source: 'in1', sourceHandle: 'text', target: 'in2', targetHandle: 'text' },
        { id: 'e3', source: 'in2', sourceHandle: 'text', target: 'out', targetHandle: 'texts' },
      ],
      groups: [
        { id: 'frame', label: 'Frame', position: { x: 0, y: 0 }, size: { width: 560, height: 240 } },
        { id: 'inner', label: 'Inner', position: { x: 20, y: 60 }, size: { width: 240, height: 160 } },
      ],
      notes: [
        { id: 'inside', text: '', position: { x: 300, y: 190 }, size: { width: 40, height: 40 } },
        { id: 'loose', text: '', position: { x: 2000, y: 0 }, size: { width: 40, height: 40 } },
      ],
    }
    const sizes = new Map(['src', 'in1', 'in2', 'out'].map((id) => [id, size]))
    const positions = layeredLayout(grouped, sizes)
    const frame = positions.frame!
    // src → frame → out, one column each.
    expect(positions.src!.x).toBe(0)
    expect(frame.x).toBe(200 + 80)
    expect(positions.out!.x).toBe(frame.x + 560 + 80)
    // Everything inside moved with the frame, keeping its place in it (the inner group too).
    for (const id of ['in1', 'in2', 'inner', 'inside']) {
      const start = [...grouped.nodes, ...grouped.groups!, ...grouped.notes!].find((item) => item.id === id)!.position!
      expect(positions[id]).toEqual({ x: start.x + frame.x, y: start.y + frame.y })
    }
    expect(positions.loose).toBeUndefined()
  })
})
