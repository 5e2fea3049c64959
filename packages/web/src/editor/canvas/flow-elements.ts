import type { ValidationIssue, Workflow } from '@patchbay/sdk'
import type { Edge } from '@xyflow/react'
import type { NodeCatalog } from '../catalog.ts'
import { typeColor } from '../catalog.ts'
import { groupsOf, notesOf } from '../graph/annotations.ts'
import type { Size, XY } from '../graph/geometry.ts'
import type { GroupFlowNode } from './GroupNode.tsx'
import type { NoteFlowNode } from './NoteNode.tsx'
import type { PatchFlowNode } from './PatchNode.tsx'

/** Every kind of element on the canvas: node cards, sticky notes and group frames. */
export type CanvasNode = PatchFlowNode | NoteFlowNode | GroupFlowNode

// The one place where the workflow document becomes React Flow nodes and edges (and back:
// React Flow's changes are turned into document edits by the canvas through document-ops).

export interface FlowInputs {
  document: Workflow
  catalog: NodeCatalog
  issues: ValidationIssue[]
  selectedNodeIds: string[]
  selectedEdgeIds: string[]
  dragPositions: Record<string, XY>
  /** Sizes of notes and groups being resized. */
  dragSizes?: Record<string, Size>
  measured: ReadonlyMap<string, { width: number; height: number }>
  readOnly: boolean
}

/**
 * Groups sit far below everything (React Flow lifts a selected element by 1000, and a selected
 * group must stay behind nodes and edges); notes sit with the nodes, drawn after them.
 */
export const groupZIndex = -2000

/**
 * Builds the React Flow elements of the document's notes and groups, reusing unchanged ones
 * like {@link createNodeBuilder}. Larger groups come first so a nested group is drawn on top.
 */
export function createAnnotationBuilder() {
  let cache = new Map<string, { key: unknown[]; node: NoteFlowNode | GroupFlowNode }>()
  return (
    inputs: Pick<FlowInputs, 'document' | 'selectedNodeIds' | 'dragPositions' | 'dragSizes' | 'readOnly'>,
  ): { groups: GroupFlowNode[]; notes: NoteFlowNode[] } => {
    const selected = new Set(inputs.selectedNodeIds)
    const next = new Map<string, { key: unknown[]; node: NoteFlowNode | GroupFlowNode }>()
    const reuse = <T extends NoteFlowNode | GroupFlowNode>(id: string, key: unknown[], build: () => T): T => {
      const previous = cache.get(id)
      const node =
        previous && previous.key.length === key.length && previous.key.every((part, i) => part === key[i])
          ? (previous.node as T)
          : build()
      next.set(id, { key, node })
      return node
    }
    const common = (item: { id: string; position: XY; size: Size }) => {
      const position = inputs.dragPositions[item.id] ?? item.position
      const size = inputs.dragSizes?.[item.id] ?? item.size
      const key = [item, position.x, position.y, size.width, size.height, selected.has(item.id), inputs.readOnly]
      const base = {
        id: item.id,
        position,
        width: size.width,
        height: size.height,
        selected: selected.has(item.id),
        draggable: !inputs.readOnly,
        connectable: false,
      }
      return { key, base }
    }
    const groups = [...groupsOf(inputs.document)]
      .sort((a, b) => b.size.width * b.size.height - a.size.width * a.size.height)
      .map((group) => {
        const { key, base } = common(group)
        return reuse<GroupFlowNode>(group.id, key, () => ({
          ...base,
          type: 'frame',
          zIndex: groupZIndex,
          // Only the header (and the resize handles) take the pointer: the body lets clicks
          // and box-selections through to the canvas and the nodes inside.
          dragHandle: '.pb-group-header',
          style: { pointerEvents: 'none' },
          ariaLabel: `Group ${group.label}`.trim(),
          data: { group },
        }))
      })
    const notes = notesOf(inputs.document).map((note) => {
      const { key, base } = common(note)
      return reuse<NoteFlowNode>(note.id, key, () => ({ ...base, type: 'note', ariaLabel: 'Note', data: { note } }))
    })
    cache = next
    return { groups, notes }
  }
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
