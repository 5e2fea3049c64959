import type { NodeExecutionRecord } from '@patchbay/db'
import { pendingNodeExecution } from '@patchbay/db'
import { describe, expect, it } from 'vitest'
import { nodesOfRun } from './run-detail.ts'

// a → b → c, and d on its own.
const document = {
  nodes: [
    { id: 'a', type: 'input.text' },
    { id: 'b', type: 'text.template' },
    { id: 'c', type: 'output' },
    { id: 'd', type: 'util.wait' },
  ],
  edges: [
    { id: 'e1', source: 'a', sourceHandle: 'text', target: 'b', targetHandle: 'text' },
    { id: 'e2', source: 'b', sourceHandle: 'text', target: 'c', targetHandle: 'value' },
  ],
} as Parameters<typeof nodesOfRun>[1]

const row = (nodeId: string, nodeType: string): NodeExecutionRecord => ({
  ...pendingNodeExecution('r', nodeId, nodeType),
  status: 'succeeded',
  attempt: 1,
})

describe('nodesOfRun', () => {
  it('shows every node in document order, pending where there is no row yet', () => {
    const nodes = nodesOfRun({ id: 'r', scope: null }, document, [row('b', 'text.template')])
    expect(nodes.map((node) => [node.nodeId, node.nodeType, node.status, node.attempt])).toEqual([
      ['a', 'input.text', 'pending', 0],
      ['b', 'text.template', 'succeeded', 1],
      ['c', 'output', 'pending', 0],
      ['d', 'util.wait', 'pending', 0],
    ])
  })

  it('includes only the scoped nodes and what they need upstream', () => {
    const nodes = nodesOfRun({ id: 'r', scope: ['b'] }, document, [])
    expect(nodes.map((node) => node.nodeId)).toEqual(['a', 'b'])
  })

  it('keeps rows the document does not list, and rows without a document', () => {
    expect(nodesOfRun({ id: 'r', scope: null }, document, [row('zz', 'x')]).map((node) => node.nodeId)).toEqual([
      'a',
      'b',
      'c',
      'd',
      'zz',
    ])
    expect(nodesOfRun({ id: 'r', scope: null }, undefined, [row('b', 'text.template')])).toHaveLength(1)
  })
})
