import type { Workflow, WorkflowEdge, WorkflowGroup, WorkflowNode, WorkflowNote } from '@patchbay/core'
import { workflowGroupSchema, workflowNoteSchema } from '@patchbay/core'
import { groupsOf, notesOf } from './annotations.ts'
import { edgeIds, newEdgeId, newNodeId, nodeIds } from './document-ops.ts'

/** What copy puts on the system clipboard, as JSON, so paste works across tabs and workflows. */
export interface ClipboardPayload {
  patchbay: 'nodes'
  nodes: WorkflowNode[]
  edges: WorkflowEdge[]
  /** Absent in payloads copied before notes and groups existed. */
  notes?: WorkflowNote[]
  groups?: WorkflowGroup[]
}

/** The selected nodes, notes and groups, and the edges among the nodes. */
export function copySelection(document: Workflow, selected: string[]): ClipboardPayload | null {
  const ids = new Set(selected)
  const nodes = document.nodes.filter((node) => ids.has(node.id))
  const notes = notesOf(document).filter((note) => ids.has(note.id))
  const groups = groupsOf(document).filter((group) => ids.has(group.id))
  if (nodes.length + notes.length + groups.length === 0) return null
  const edges = document.edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target))
  return {
    patchbay: 'nodes',
    nodes,
    edges,
    ...(notes.length > 0 ? { notes } : {}),
    ...(groups.length > 0 ? { groups } : {}),
  }
}

/** The items of `value` that pass the document's own schema (text length, size bounds, colour). */
function validItems<T>(
  value: unknown,
  schema: { safeParse(item: unknown): { success: true; data: T } | { success: false } },
): T[] {
  if (!Array.isArray(value)) return []
  return value.flatMap((item) => {
    const parsed = schema.safeParse(item)
    return parsed.success ? [parsed.data] : []
  })
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
    const notes = validItems(value.notes, workflowNoteSchema)
    const groups = validItems(value.groups, workflowGroupSchema)
    return { patchbay: 'nodes', nodes, edges, notes, groups }
  } catch {
    return null
  }
}

/** Whether a payload holds anything to paste. */
export function isEmptyPayload(payload: ClipboardPayload): boolean {
  return payload.nodes.length + (payload.notes?.length ?? 0) + (payload.groups?.length ?? 0) === 0
}

/**
 * Copies of the payload's nodes, notes, groups and edges with ids new to `document`, moved by
 * `offset`, or with the top-left corner of them all at `at` when given.
 */
export function instantiate(
  document: Workflow,
  payload: ClipboardPayload,
  placement: { offset: { x: number; y: number } } | { at: { x: number; y: number } },
): { nodes: WorkflowNode[]; edges: WorkflowEdge[]; notes: WorkflowNote[]; groups: WorkflowGroup[] } {
  const takenNodes = nodeIds(document)
  const takenEdges = edgeIds(document)
  const annotations = [...(payload.notes ?? []), ...(payload.groups ?? [])]
  const corners = [
    ...payload.nodes.map((node) => node.position ?? { x: 0, y: 0 }),
    ...annotations.map((a) => a.position),
  ]
  const minX = Math.min(...corners.map((corner) => corner.x))
  const minY = Math.min(...corners.map((corner) => corner.y))
  const shift = 'at' in placement ? { x: placement.at.x - minX, y: placement.at.y - minY } : placement.offset
  const moved = (position: { x: number; y: number }) => ({
    x: Math.round(position.x + shift.x),
    y: Math.round(position.y + shift.y),
  })
  const renamed = new Map<string, string>()
  const nodes = payload.nodes.map((node) => {
    const id = newNodeId(node.type, takenNodes)
    renamed.set(node.id, id)
    const position = node.position ?? { x: 0, y: 0 }
    return { ...structuredClone(node), id, position: moved(position) }
  })
  const edges = payload.edges.flatMap((edge) => {
    const source = renamed.get(edge.source)
    const target = renamed.get(edge.target)
    return source && target ? [{ ...edge, id: newEdgeId(takenEdges), source, target }] : []
  })
  const notes = (payload.notes ?? []).map((note) => ({
    ...structuredClone(note),
    id: newNodeId('note', takenNodes),
    position: moved(note.position),
  }))
  const groups = (payload.groups ?? []).map((group) => ({
    ...structuredClone(group),
    id: newNodeId('group', takenNodes),
    position: moved(group.position),
  }))
  return { nodes, edges, notes, groups }
}
