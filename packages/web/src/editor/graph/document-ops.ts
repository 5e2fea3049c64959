import type { Workflow, WorkflowEdge, WorkflowGroup, WorkflowNode, WorkflowNote } from '@patchbay/core'
import { addAnnotations, annotationIds, moveAnnotations, removeAnnotations } from './annotations.ts'
import type { XY } from './geometry.ts'

// Pure edits of the workflow document: each returns a new document (or the same one when
// nothing changes, so the undo history records nothing).

/** A readable id not used in `document`, e.g. `template-2` for `text.template`. */
export function newNodeId(type: string, taken: Set<string>): string {
  const base = (type.split('.').pop() ?? 'node').replace(/[^A-Za-z0-9_-]/g, '') || 'node'
  for (let n = 1; ; n++) {
    const id = `${base}-${n}`
    if (!taken.has(id)) {
      taken.add(id)
      return id
    }
  }
}

/** A fresh edge id. */
export function newEdgeId(taken: Set<string>): string {
  for (;;) {
    const id = `e-${Math.random().toString(36).slice(2, 10)}`
    if (!taken.has(id)) {
      taken.add(id)
      return id
    }
  }
}

/** Ids taken on the canvas: nodes, notes and groups share one namespace. */
export function nodeIds(document: Workflow): Set<string> {
  return new Set([...document.nodes.map((node) => node.id), ...annotationIds(document)])
}

export function edgeIds(document: Workflow): Set<string> {
  return new Set(document.edges.map((edge) => edge.id))
}

export function addNodes(document: Workflow, nodes: WorkflowNode[], edges: WorkflowEdge[] = []): Workflow {
  if (nodes.length === 0 && edges.length === 0) return document
  return { ...document, nodes: [...document.nodes, ...nodes], edges: [...document.edges, ...edges] }
}

/** Adds nodes, edges, notes and groups at once (a paste). */
export function addElements(
  document: Workflow,
  added: { nodes: WorkflowNode[]; edges: WorkflowEdge[]; notes?: WorkflowNote[]; groups?: WorkflowGroup[] },
): Workflow {
  return addAnnotations(addNodes(document, added.nodes, added.edges), added)
}

/** Moves nodes, notes and groups to `positions` (by id). */
export function moveNodes(document: Workflow, positions: Record<string, XY>): Workflow {
  const moved = moveNodesOnly(document, positions)
  return moveAnnotations(moved, positions)
}

function moveNodesOnly(document: Workflow, positions: Record<string, XY>): Workflow {
  let changed = false
  const nodes = document.nodes.map((node) => {
    const position = positions[node.id]
    if (!position || (node.position?.x === position.x && node.position?.y === position.y)) return node
    changed = true
    return { ...node, position: { x: Math.round(position.x), y: Math.round(position.y) } }
  })
  return changed ? { ...document, nodes } : document
}

/** Removes nodes (with their edges), notes and groups (by id, like nodes) and edges. */
export function removeElements(document: Workflow, nodeIdList: string[], edgeIdList: string[] = []): Workflow {
  const goneNodes = new Set(nodeIdList)
  const goneEdges = new Set(edgeIdList)
  const nodes = document.nodes.filter((node) => !goneNodes.has(node.id))
  const edges = document.edges.filter(
    (edge) => !goneEdges.has(edge.id) && !goneNodes.has(edge.source) && !goneNodes.has(edge.target),
  )
  const rest = removeAnnotations(document, goneNodes)
  if (nodes.length === document.nodes.length && edges.length === document.edges.length) return rest
  return { ...rest, nodes, edges }
}

/** Adds an edge; when `replace` (the input takes one edge), the input's old edges go. */
export function connect(document: Workflow, edge: WorkflowEdge, replace: boolean): Workflow {
  const duplicate = document.edges.some(
    (other) =>
      other.source === edge.source &&
      other.sourceHandle === edge.sourceHandle &&
      other.target === edge.target &&
      other.targetHandle === edge.targetHandle,
  )
  if (duplicate) return document
  const kept = replace
    ? document.edges.filter((other) => !(other.target === edge.target && other.targetHandle === edge.targetHandle))
    : document.edges
  return { ...document, edges: [...kept, edge] }
}

/** Sets one param; `undefined` removes it (the schema's default applies). */
export function setParam(document: Workflow, nodeId: string, key: string, value: unknown): Workflow {
  return updateNode(document, nodeId, (node) => {
    if (node.params[key] === value) return node
    const params = { ...node.params }
    if (value === undefined) delete params[key]
    else params[key] = value
    return { ...node, params }
  })
}

export function setLabel(document: Workflow, nodeId: string, label: string): Workflow {
  return updateNode(document, nodeId, (node) => {
    const next = label.trim()
    if ((node.label ?? '') === next) return node
    const { label: _old, ...rest } = node
    return next ? { ...rest, label: next } : rest
  })
}

export function rename(document: Workflow, name: string): Workflow {
  const next = name.trim().slice(0, 200)
  if (!next || next === document.name) return document
  return { ...document, name: next }
}

function updateNode(document: Workflow, nodeId: string, recipe: (node: WorkflowNode) => WorkflowNode): Workflow {
  let changed = false
  const nodes = document.nodes.map((node) => {
    if (node.id !== nodeId) return node
    const next = recipe(node)
    if (next !== node) changed = true
    return next
  })
  return changed ? { ...document, nodes } : document
}
