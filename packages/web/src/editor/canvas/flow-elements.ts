import type { ValidationIssue, Workflow } from '@patchbay/sdk'
import type { Edge } from '@xyflow/react'
import type { NodeCatalog } from '../catalog.ts'
import { typeColor } from '../catalog.ts'
import type { XY } from '../graph/document-ops.ts'
import type { PatchFlowNode } from './PatchNode.tsx'

// The one place where the workflow document becomes React Flow nodes and edges (and back:
// React Flow's changes are turned into document edits by the canvas through document-ops).

export interface FlowInputs {
  document: Workflow
  catalog: NodeCatalog
  issues: ValidationIssue[]
  selectedNodeIds: string[]
  selectedEdgeIds: string[]
  dragPositions: Record<string, XY>
  measured: ReadonlyMap<string, { width: number; height: number }>
  readOnly: boolean
}

const noIssues: ValidationIssue[] = []

/**
 * Builds React Flow nodes, reusing the previous object of a node when nothing it shows
 * changed, so React Flow skips it (it compares node objects by identity).
 */
export function createNodeBuilder() {
  let cache = new Map<string, { key: unknown[]; node: PatchFlowNode }>()
  return (inputs: FlowInputs): PatchFlowNode[] => {
    const connected = new Map<string, string[]>()
    for (const edge of inputs.document.edges) {
      connected.set(edge.target, [...(connected.get(edge.target) ?? []), edge.targetHandle])
    }
    const issuesByNode = new Map<string, ValidationIssue[]>()
    for (const issue of inputs.issues) {
      if (issue.nodeId) issuesByNode.set(issue.nodeId, [...(issuesByNode.get(issue.nodeId) ?? []), issue])
    }
    const selected = new Set(inputs.selectedNodeIds)
    const next = new Map<string, { key: unknown[]; node: PatchFlowNode }>()
    const nodes = inputs.document.nodes.map((node, index) => {
      const entry = inputs.catalog.get(node.type)
      const position = inputs.dragPositions[node.id] ?? node.position ?? { x: index * 300, y: 0 }
      const connectedInputs = (connected.get(node.id) ?? []).sort().join(',')
      const issues = issuesByNode.get(node.id) ?? noIssues
      const measured = inputs.measured.get(node.id)
      const key = [
        node,
        entry,
        position.x,
        position.y,
        selected.has(node.id),
        connectedInputs,
        issues,
        measured,
        inputs.readOnly,
      ]
      const previous = cache.get(node.id)
      if (
        previous &&
        previous.key.length === key.length &&
        previous.key.every((value, i) => sameKeyPart(value, key[i]))
      ) {
        next.set(node.id, previous)
        return previous.node
      }
      const flowNode: PatchFlowNode = {
        id: node.id,
        type: 'patch',
        position,
        selected: selected.has(node.id),
        draggable: !inputs.readOnly,
        connectable: !inputs.readOnly,
        data: { node, entry, connectedInputs: connectedInputs ? connectedInputs.split(',') : [], issues },
        ...(measured ? { measured } : {}),
      }
      next.set(node.id, { key, node: flowNode })
      return flowNode
    })
    cache = next
    return nodes
  }
}

function sameKeyPart(a: unknown, b: unknown): boolean {
  if (a === b) return true
  // The issues of a node are rebuilt on every save; compare their messages.
  if (Array.isArray(a) && Array.isArray(b)) {
    return (
      a.length === b.length &&
      a.every((issue, i) => (issue as ValidationIssue).message === (b[i] as ValidationIssue)?.message)
    )
  }
  return false
}

/** Edges coloured by the data type of their source port; edges named by an issue in red. */
export function toFlowEdges(inputs: Pick<FlowInputs, 'document' | 'catalog' | 'issues' | 'selectedEdgeIds'>): Edge[] {
  const byId = new Map(inputs.document.nodes.map((node) => [node.id, node]))
  const broken = new Set(inputs.issues.flatMap((issue) => (issue.edgeId ? [issue.edgeId] : [])))
  const selected = new Set(inputs.selectedEdgeIds)
  return inputs.document.edges.map((edge) => {
    const sourceType = byId.get(edge.source)?.type
    const spec = sourceType ? inputs.catalog.get(sourceType)?.outputs[edge.sourceHandle] : undefined
    const color = broken.has(edge.id) ? 'var(--pb-danger, #dc2626)' : typeColor(spec?.type ?? 'any')
    return {
      id: edge.id,
      source: edge.source,
      sourceHandle: edge.sourceHandle,
      target: edge.target,
      targetHandle: edge.targetHandle,
      selected: selected.has(edge.id),
      style: {
        stroke: color,
        strokeWidth: selected.has(edge.id) ? 3 : 2,
        strokeDasharray: spec?.list ? '6 3' : undefined,
      },
    }
  })
}
