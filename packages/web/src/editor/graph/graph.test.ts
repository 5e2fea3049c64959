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
})
