import type { AnnotationColor, WorkflowGroup, WorkflowNote } from '@patchbay/core'
import { useAnnotationEditing } from './canvas/annotation-editing.ts'
import {
  addAnnotations,
  annotationIds,
  defaultGroupSize,
  defaultNoteSize,
  groupRectAround,
  rectsOf,
  updateGroup,
  updateNote,
} from './graph/annotations.ts'
import { newNodeId, nodeIds } from './graph/document-ops.ts'
import type { Rect, Size, XY } from './graph/geometry.ts'
import { useEditorStore } from './store/index.ts'

// Editing commands for sticky notes and groups, shared by the canvas, the keyboard and the
// palette. Each is one undo step (typing into a note is one per pause, like a param).

/** The canvas's measured size of an element, when it has one. */
export type SizeOf = (id: string) => Size | undefined

const store = () => useEditorStore.getState()

/** Adds a note centred on `center`, selects it and opens it for typing. */
export function addNote(center: XY): string | null {
  if (store().readOnly) return null
  const id = newNodeId('note', nodeIds(store().document))
  const note: WorkflowNote = {
    id,
    text: '',
    color: 'yellow',
    position: centred(center, defaultNoteSize),
    size: { ...defaultNoteSize },
  }
  store().edit((document) => addAnnotations(document, { notes: [note] }))
  store().setSelection([id])
  useAnnotationEditing.getState().startEditing(id)
  return id
}

/**
 * Wraps the selected nodes, notes and groups in a new group sized to their bounds (with room
 * for the header), or adds an empty group centred on `center` when nothing is selected. The new
 * group is selected with its label open for typing.
 */
export function groupSelection(center: XY, sizeOf: SizeOf): string | null {
  const { document, readOnly, selectedNodeIds } = store()
  if (readOnly) return null
  const rects = rectsOf(document, sizeOf)
  const around = groupRectAround(selectedNodeIds.flatMap((id) => rects.get(id) ?? []))
  const rect: Rect = around ?? { ...centred(center, defaultGroupSize), ...defaultGroupSize }
  const id = newNodeId('group', nodeIds(document))
  const group: WorkflowGroup = {
    id,
    label: 'Group',
    color: 'blue',
    position: { x: rect.x, y: rect.y },
    size: { width: rect.width, height: rect.height },
  }
  store().edit((current) => addAnnotations(current, { groups: [group] }))
  store().setSelection([id])
  useAnnotationEditing.getState().startEditing(id)
  return id
}

/** Enter: opens the lone selected note's text or group's label for typing; tells whether it did. */
export function editSelectedAnnotation(): boolean {
  const { document, readOnly, selectedNodeIds } = store()
  const id = selectedNodeIds.length === 1 ? selectedNodeIds[0] : undefined
  if (readOnly || id === undefined || !annotationIds(document).has(id)) return false
  useAnnotationEditing.getState().startEditing(id)
  return true
}

export function setNoteText(id: string, text: string) {
  store().edit((document) => updateNote(document, id, { text }), { coalesce: `note:${id}` })
}

export function setGroupLabel(id: string, label: string) {
  store().edit((document) => updateGroup(document, id, { label }))
}

export function setAnnotationColor(id: string, kind: 'note' | 'group', color: AnnotationColor) {
  store().edit((document) =>
    kind === 'note' ? updateNote(document, id, { color }) : updateGroup(document, id, { color }),
  )
}

/** Shows a resize in progress without touching the document (see {@link endResize}). */
export function showResize(id: string, rect: Rect) {
  const { dragPositions, dragSizes, setDragPositions, setDragSizes } = store()
  setDragSizes({ ...dragSizes, [id]: { width: rect.width, height: rect.height } })
  setDragPositions({ ...dragPositions, [id]: { x: rect.x, y: rect.y } })
}

/** The end of a resize: the final rectangle becomes one undoable edit. */
export function endResize(id: string, kind: 'note' | 'group', rect: Rect) {
  const { [id]: _position, ...positions } = store().dragPositions
  const { [id]: _size, ...sizes } = store().dragSizes
  store().edit((document) =>
    kind === 'note' ? updateNote(document, id, { rect }) : updateGroup(document, id, { rect }),
  )
  store().setDragSizes(sizes)
  store().setDragPositions(positions)
}

function centred(center: XY, size: Size): XY {
  return { x: Math.round(center.x - size.width / 2), y: Math.round(center.y - size.height / 2) }
}

/** Reads measured sizes from React Flow (`useReactFlow()`), for wrapping nodes in a group. */
export function measuredSizes(flow: {
  getInternalNode(id: string): { measured: { width?: number; height?: number } } | undefined
}): SizeOf {
  return (id) => {
    const measured = flow.getInternalNode(id)?.measured
    return measured?.width && measured.height ? { width: measured.width, height: measured.height } : undefined
  }
}
