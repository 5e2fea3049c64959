import type { SavedWorkflow } from '@patchbay/sdk'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setParam } from '../graph/document-ops.ts'
import { selectedWorkflowNodes, useEditorStore } from './editor-store.ts'

const saved: SavedWorkflow = {
  id: 'wf',
  name: 'Test',
  revision: 1,
  createdAt: '',
  updatedAt: '',
  issues: [],
  document: {
    schemaVersion: 1,
    name: 'Test',
    inputs: {},
    nodes: [{ id: 'a', type: 'input.text', params: {} }],
    edges: [],
  },
}

describe('editor store history', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    // Read-only: no autosave requests; edits are enabled by hand below.
    useEditorStore.getState().load(saved, { readOnly: true })
    useEditorStore.setState({ readOnly: false })
  })
  afterEach(() => vi.useRealTimers())

  const type = (text: string) =>
    useEditorStore.getState().edit((d) => setParam(d, 'a', 'value', text), { coalesce: 'param:a:value' })

  it('makes a burst of typing one undo step', () => {
    type('H')
    type('He')
    type('Hel')
    vi.advanceTimersByTime(1000)
    type('Hello')
    expect(useEditorStore.getState().document.nodes[0]?.params.value).toBe('Hello')
    useEditorStore.getState().undo()
    expect(useEditorStore.getState().document.nodes[0]?.params.value).toBe('Hel')
    useEditorStore.getState().undo()
    expect(useEditorStore.getState().document.nodes[0]?.params.value).toBeUndefined()
    useEditorStore.getState().redo()
    expect(useEditorStore.getState().document.nodes[0]?.params.value).toBe('Hel')
  })

  it('does not record selection changes', () => {
    useEditorStore.getState().setSelection(['a'])
    expect(useEditorStore.temporal.getState().pastStates).toHaveLength(0)
  })

  it('ignores edits when read-only', () => {
    useEditorStore.setState({ readOnly: true })
    type('x')
    expect(useEditorStore.getState().document).toBe(saved.document)
  })
})

describe('selectedWorkflowNodes', () => {
  it('keeps the selected workflow nodes and drops notes and groups', () => {
    const document = {
      ...saved.document,
      nodes: [
        { id: 'a', type: 'input.text', params: {} },
        { id: 'b', type: 'input.text', params: {} },
      ],
      notes: [{ id: 'note', text: '', position: { x: 0, y: 0 }, size: { width: 200, height: 120 } }],
    }
    expect(selectedWorkflowNodes({ document, selectedNodeIds: ['note', 'b'] })).toEqual(['b'])
    expect(selectedWorkflowNodes({ document, selectedNodeIds: ['note'] })).toEqual([])
  })
})
