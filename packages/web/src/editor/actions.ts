import type { Workflow, WorkflowNode } from '@patchbay/core'
import { isCompatible, type PortSpec } from '@patchbay/core'
import { api } from '../app/api.ts'
import type { NodeCatalog } from './catalog.ts'
import { groupsOf, notesOf } from './graph/annotations.ts'
import { copySelection, instantiate, isEmptyPayload, parseClipboard } from './graph/clipboard.ts'
import { compatibleInputs } from './graph/connections.ts'
import {
  addElements,
  addNodes,
  connect,
  edgeIds,
  moveNodes,
  newEdgeId,
  newNodeId,
  nodeIds,
  removeElements,
} from './graph/document-ops.ts'
import type { Size, XY } from './graph/geometry.ts'
import { layeredLayout } from './graph/layout.ts'
import { useEditorStore } from './store/index.ts'

// Editing commands shared by the canvas, the keyboard and the toolbar. Each is one undo step.

/** Where a new connection should come from when a node is added by dropping a wire. */
export interface PendingWire {
  nodeId: string
  handle: string
  spec: PortSpec
  /** The wire started at an output (`source`) or at an input (`target`). */
  from: 'source' | 'target'
}

const store = () => useEditorStore.getState()

/** Params a new node starts with: required enums get their first option, outputs a free name. */
function initialParams(type: string, catalog: NodeCatalog, document: Workflow): Record<string, unknown> {
  const schema = catalog.get(type)?.params as
    | { properties?: Record<string, { enum?: unknown[] }>; required?: string[] }
    | undefined
  const params: Record<string, unknown> = {}
  for (const key of schema?.required ?? []) {
    const first = schema?.properties?.[key]?.enum?.[0]
    if (first !== undefined) params[key] = first
  }
  if (type === 'output') {
    const names = new Set(
      document.nodes.filter((node) => node.type === 'output').map((node) => node.params.name ?? 'result'),
    )
    let name = 'result'
    for (let n = 2; names.has(name); n++) name = `result_${n}`
    params.name = name
  }
  return params
}

/** Adds a node of `type` at `position`; with `wire`, connects it to the wire's port. */
export function addNode(
  type: string,
  position: XY,
  catalog: NodeCatalog,
  options: { wire?: PendingWire; params?: Record<string, unknown> } = {},
): string | null {
  const { document, readOnly } = store()
  if (readOnly) return null
  const entry = catalog.get(type)
  const id = newNodeId(type, nodeIds(document))
  const node: WorkflowNode = {
    id,
    type,
    params: { ...initialParams(type, catalog, document), ...options.params },
    position: { x: Math.round(position.x), y: Math.round(position.y) },
  }
  store().edit((current) => {
    let next = addNodes(current, [node])
    const wire = options.wire
    if (wire && entry) {
      if (wire.from === 'source') {
        const handle = compatibleInputs(entry, wire.spec)[0]
        if (handle) {
          const edge = {
            id: newEdgeId(edgeIds(next)),
            source: wire.nodeId,
            sourceHandle: wire.handle,
            target: id,
            targetHandle: handle,
          }
          next = connect(next, edge, !entry.inputs[handle]?.multiple)
        }
      } else {
        const handle = compatibleOutputs(entry, wire.spec)[0]
        if (handle) {
          const edge = {
            id: newEdgeId(edgeIds(next)),
            source: id,
            sourceHandle: handle,
            target: wire.nodeId,
            targetHandle: wire.handle,
          }
          next = connect(next, edge, !wire.spec.multiple)
        }
      }
    }
    return next
  })
  store().setSelection([id])
  return id
}

/** Outputs of a node type that may feed the input `to`. */
export function compatibleOutputs(entry: { outputs: Record<string, PortSpec> }, to: PortSpec): string[] {
  return Object.entries(entry.outputs)
    .filter(([, spec]) => isCompatible(spec, to))
    .map(([name]) => name)
}

export function deleteSelection() {
  const { selectedNodeIds, selectedEdgeIds } = store()
  store().edit((document) => removeElements(document, selectedNodeIds, selectedEdgeIds))
  store().setSelection([])
}

export function selectAll() {
  const { document } = store()
  store().setSelection(
    [...groupsOf(document), ...document.nodes, ...notesOf(document)].map((item) => item.id),
    document.edges.map((edge) => edge.id),
  )
}

/** Pastes copies of the payload: at `at` (flow coordinates) or 40 px below-right. */
function pastePayload(payload: NonNullable<ReturnType<typeof parseClipboard>>, at?: XY) {
  if (store().readOnly || isEmptyPayload(payload)) return
  const copies = instantiate(store().document, payload, at ? { at } : { offset: { x: 40, y: 40 } })
  store().edit((document) => addElements(document, copies))
  store().setSelection(
    [...copies.groups, ...copies.nodes, ...copies.notes].map((item) => item.id),
    copies.edges.map((edge) => edge.id),
  )
}

export function duplicateSelection() {
  const payload = copySelection(store().document, store().selectedNodeIds)
  if (payload) pastePayload(payload)
}

/** The JSON copy puts on the clipboard, or null with nothing selected. */
export function selectionAsText(): string | null {
  const payload = copySelection(store().document, store().selectedNodeIds)
  return payload ? JSON.stringify(payload, null, 2) : null
}

/** Pastes clipboard text if it is a Patchbay selection; tells whether it was. */
export function pasteText(text: string, at?: XY): boolean {
  const payload = parseClipboard(text)
  if (!payload) return false
  pastePayload(payload, at)
  return true
}

/**
 * Uploads image files and adds an `image.load` node for each, side by side from `at`.
 * Resolves with the messages of the uploads that failed.
 */
export async function addImageFiles(files: File[], at: XY, catalog: NodeCatalog): Promise<string[]> {
  const images = files.filter((file) => file.type.startsWith('image/'))
  const failures: string[] = []
  let index = 0
  for (const file of images) {
    try {
      const asset = await api.assets.upload(file, file.name)
      addNode('image.load', { x: at.x + index * 40, y: at.y + index * 40 }, catalog, {
        params: { assetId: asset.id },
      })
      index++
    } catch (error) {
      failures.push(`${file.name}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  if (files.length > images.length) failures.push('only image files can be dropped on the canvas')
  return failures
}

/** Lays the graph out left to right; `sizes` are the measured node sizes. */
export function autoLayout(sizes: ReadonlyMap<string, Size>) {
  store().edit((document) => moveNodes(document, layeredLayout(document, sizes)))
}

/** Aligns the selected nodes' left edges or top edges. */
export function alignSelected(edge: 'left' | 'top') {
  const { document, selectedNodeIds } = store()
  const selected = document.nodes.filter((node) => selectedNodeIds.includes(node.id))
  if (selected.length < 2) return
  const value = Math.min(...selected.map((node) => (edge === 'left' ? node.position?.x : node.position?.y) ?? 0))
  const positions: Record<string, XY> = {}
  for (const node of selected) {
    const position = node.position ?? { x: 0, y: 0 }
    positions[node.id] = edge === 'left' ? { x: value, y: position.y } : { x: position.x, y: value }
  }
  store().edit((current) => moveNodes(current, positions))
}
