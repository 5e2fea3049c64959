import type { Workflow } from '@patchbay/core'
import { describe, expect, it } from 'vitest'
import {
  addAnnotations,
  boundsOf,
  groupContents,
  groupPadding,
  groupRectAround,
  moveAnnotations,
  removeAnnotations,
  updateGroup,
  updateNote,
} from './annotations.ts'
import { copySelection, instantiate, parseClipboard } from './clipboard.ts'
import { moveNodes, newNodeId, nodeIds, removeElements } from './document-ops.ts'

const card = { width: 260, height: 120 }

const doc: Workflow = {
  schemaVersion: 1,
  name: 'annotated',
  inputs: {},
  nodes: [
    { id: 'a', type: 'text.template', params: {}, position: { x: 0, y: 0 } },
    { id: 'b', type: 'text.template', params: {}, position: { x: 400, y: 0 } },
    { id: 'far', type: 'text.template', params: {}, position: { x: 2000, y: 0 } },
  ],
  edges: [{ id: 'e1', source: 'a', sourceHandle: 'text', target: 'b', targetHandle: 'text' }],
  notes: [{ id: 'note-1', text: 'why', position: { x: 100, y: 200 }, size: { width: 200, height: 100 } }],
  groups: [
    { id: 'group-1', label: 'Both', position: { x: -40, y: -60 }, size: { width: 760, height: 420 } },
    { id: 'inner', label: '', position: { x: 380, y: -20 }, size: { width: 300, height: 200 } },
  ],
}

const sizeOf = () => card

describe('annotation edits', () => {
  it('adds, moves, updates and removes notes and groups, and shares the id namespace with nodes', () => {
    const bare: Workflow = { ...doc, notes: undefined, groups: undefined }
    const added = addAnnotations(bare, { notes: [{ ...doc.notes![0]!, id: 'n' }] })
    expect(added.notes?.map((note) => note.id)).toEqual(['n'])
    expect(nodeIds(added)).toEqual(new Set(['a', 'b', 'far', 'n']))
    expect(newNodeId('note', nodeIds(doc))).toBe('note-2')

    const moved = moveNodes(doc, { a: { x: 10, y: 10 }, 'note-1': { x: 0.4, y: 1.6 } })
    expect(moved.nodes[0]?.position).toEqual({ x: 10, y: 10 })
    expect(moved.notes?.[0]?.position).toEqual({ x: 0, y: 2 })

    const recolored = updateGroup(doc, 'group-1', { color: 'green', label: '  Inputs  ' })
    expect(recolored.groups?.[0]).toMatchObject({ color: 'green', label: 'Inputs' })
    const resized = updateNote(doc, 'note-1', { rect: { x: 1, y: 2, width: 10, height: 99_999 } })
    expect(resized.notes?.[0]).toMatchObject({ position: { x: 1, y: 2 }, size: { width: 40, height: 10_000 } })

    const removed = removeElements(doc, ['a', 'note-1', 'inner'])
    expect(removed.nodes.map((node) => node.id)).toEqual(['b', 'far'])
    expect(removed.edges).toEqual([])
    expect('notes' in removed).toBe(false) // the last note gone: the key goes too
    expect(removed.groups?.map((group) => group.id)).toEqual(['group-1'])
  })

  it('returns the same document when nothing changes (no empty undo step)', () => {
    expect(moveAnnotations(doc, { 'note-1': { x: 100, y: 200 } })).toBe(doc)
    expect(updateNote(doc, 'note-1', { text: 'why' })).toBe(doc)
    expect(updateGroup(doc, 'group-1', { label: 'Both' })).toBe(doc)
    expect(updateGroup(doc, 'nope', { label: 'x' })).toBe(doc)
    expect(removeAnnotations(doc, ['a'])).toBe(doc)
    expect(removeElements(doc, ['nope'])).toBe(doc)
    expect(moveNodes(doc, {})).toBe(doc)
  })
})

describe('group geometry', () => {
  it('wraps rectangles with room for the header', () => {
    expect(boundsOf([])).toBeUndefined()
    const rects = [
      { x: 0, y: 0, ...card },
      { x: 400, y: 100, ...card },
    ]
    expect(boundsOf(rects)).toEqual({ x: 0, y: 0, width: 660, height: 220 })
    expect(groupRectAround(rects)).toEqual({
      x: -groupPadding.side,
      y: -groupPadding.top,
      width: 660 + 2 * groupPadding.side,
      height: 220 + groupPadding.top + groupPadding.side,
    })
  })

  it('holds nodes and notes by their centre, and groups lying entirely inside', () => {
    expect(groupContents(doc, 'group-1', sizeOf).sort()).toEqual(['a', 'b', 'inner', 'note-1'])
    // b's centre (530, 60) is inside `inner`; a's (130, 60) is not.
    expect(groupContents(doc, 'inner', sizeOf)).toEqual(['b'])
    // A node whose centre is just outside stays out, although the node overlaps the frame.
    const edge = moveNodes(doc, { b: { x: 600, y: 0 } })
    expect(groupContents(edge, 'group-1', sizeOf)).not.toContain('b')
    expect(groupContents(doc, 'nope', sizeOf)).toEqual([])
  })
})

describe('clipboard with notes and groups', () => {
  it('copies and pastes notes and groups with fresh ids, keeping their layout', () => {
    const payload = copySelection(doc, ['a', 'note-1', 'group-1'])
    expect(payload?.notes).toHaveLength(1)
    expect(payload?.groups).toHaveLength(1)
    const parsed = parseClipboard(JSON.stringify(payload))
    const copies = instantiate(doc, parsed as NonNullable<typeof parsed>, { at: { x: 1000, y: 1000 } })
    expect(copies.notes.map((note) => note.id)).toEqual(['note-2'])
    expect(copies.groups.map((group) => group.id)).toEqual(['group-2'])
    // The group was the top-left corner of the selection.
    expect(copies.groups[0]?.position).toEqual({ x: 1000, y: 1000 })
    expect(copies.nodes[0]?.position).toEqual({ x: 1040, y: 1060 })
    expect(copies.notes[0]?.position).toEqual({ x: 1140, y: 1260 })
  })

  it('copies a selection of notes alone, and drops malformed ones when pasting', () => {
    expect(copySelection(doc, ['note-1'])?.nodes).toEqual([])
    const text = JSON.stringify({
      patchbay: 'nodes',
      nodes: [],
      edges: [],
      notes: [{ id: 'x', text: 'ok', position: { x: 0, y: 0 }, size: { width: 100, height: 100 } }, { id: 'bad' }],
      groups: 'nope',
    })
    const parsed = parseClipboard(text)
    expect(parsed?.notes?.map((note) => note.id)).toEqual(['x'])
    expect(parsed?.groups).toEqual([])
  })
})
