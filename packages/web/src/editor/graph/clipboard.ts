import type { Workflow, WorkflowEdge, WorkflowNode } from '@patchbay/core'
import { edgeIds, newEdgeId, newNodeId, nodeIds } from './document-ops.ts'

/** What copy puts on the system clipboard, as JSON, so paste works across tabs and workflows. */
export interface ClipboardPayload {
  patchbay: 'nodes'
  nodes: WorkflowNode[]
  edges: WorkflowEdge[]
}

/** The selected nodes and the edges among them. */
export function copySelection(document: Workflow, selected: string[]): ClipboardPayload | null {
  const ids = new Set(selected)
  const nodes = document.nodes.filter((node) => ids.has(node.id))
  if (nodes.length === 0) return null
  const edges = document.edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target))
  return { patchbay: 'nodes', nodes, edges }
}

/** Reads a payload from clipboard text; `null` when it is something else. */
export function parseClipboard(text: string): ClipboardPayload | null {
  try {
    const value = JSON.parse(text) as Partial<ClipboardPayload>
    if (value?.patchbay !== 'nodes' || !Array.isArray(value.nodes) || !Array.isArray(value.edges ?? [])) return null
    const nodes = value.nodes.filter(
      (node): node is WorkflowNode => typeof node?.id === 'string' && typeof node?.type === 'string',
    )
    const edges = (value.edges ?? []).filter(
      (edge): edge is WorkflowEdge =>
        typeof edge?.source === 'string' &&
        typeof edge?.target === 'string' &&
        typeof edge?.sourceHandle === 'string' &&
        typeof edge?.targetHandle === 'string',
    )
    return { patchbay: 'nodes', nodes, edges }
  } catch {
    return null
  }
}

/**
 * Copies of the payload's nodes and edges with ids new to `document`, moved by `offset`, or
 * with their top-left corner at `at` when given.
 */
export function instantiate(
  document: Workflow,
  payload: ClipboardPayload,
  placement: { offset: { x: number; y: number } } | { at: { x: number; y: number } },
): { nodes: WorkflowNode[]; edges: WorkflowEdge[] } {
  const takenNodes = nodeIds(document)
  const takenEdges = edgeIds(document)
  const minX = Math.min(...payload.nodes.map((node) => node.position?.x ?? 0))
  const minY = Math.min(...payload.nodes.map((node) => node.position?.y ?? 0))
  const shift = 'at' in placement ? { x: placement.at.x - minX, y: placement.at.y - minY } : placement.offset
  const renamed = new Map<string, string>()
  const nodes = payload.nodes.map((node) => {
    const id = newNodeId(node.type, takenNodes)
    renamed.set(node.id, id)
    const position = node.position ?? { x: 0, y: 0 }
    return {
      ...structuredClone(node),
      id,
      position: { x: Math.round(position.x + shift.x), y: Math.round(position.y + shift.y) },
    }
  })
  const edges = payload.edges.flatMap((edge) => {
    const source = renamed.get(edge.source)
    const target = renamed.get(edge.target)
    return source && target ? [{ ...edge, id: newEdgeId(takenEdges), source, target }] : []
  })
  return { nodes, edges }
}
