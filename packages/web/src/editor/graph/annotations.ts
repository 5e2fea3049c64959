import type { AnnotationColor, Workflow, WorkflowGroup, WorkflowNote } from '@patchbay/core'
import { annotationSizeLimits } from '@patchbay/core'
import type { Rect, Size, XY } from './geometry.ts'

// Pure edits and geometry of the canvas's annotations: sticky notes and groups. They live in
// the document beside the nodes (the engine ignores them) and share the nodes' id namespace,
// so one selection, one drag and one delete handle all three.

export const defaultNoteSize: Size = { width: 240, height: 160 }
export const defaultGroupSize: Size = { width: 480, height: 320 }
/** Room around wrapped nodes; more on top, where the group's header sits. */
export const groupPadding = { side: 32, top: 64 }
/** Assumed size of a node the canvas has not measured yet. */
const unmeasuredNode: Size = { width: 260, height: 120 }

/** The colour a note or group shows when it has none. */
export function colorOf(item: WorkflowNote | WorkflowGroup, kind: 'note' | 'group'): AnnotationColor {
  return item.color ?? (kind === 'note' ? 'yellow' : 'gray')
}

export function notesOf(document: Workflow): WorkflowNote[] {
  return document.notes ?? []
}

export function groupsOf(document: Workflow): WorkflowGroup[] {
  return document.groups ?? []
}

/** Ids of notes and groups. */
export function annotationIds(document: Workflow): Set<string> {
  return new Set([...notesOf(document), ...groupsOf(document)].map((item) => item.id))
}

/**
 * The document with these notes and groups. An empty list drops the key, so a workflow whose
 * last note is deleted is the same document as one that never had any (same version hash).
 */
export function withAnnotations(document: Workflow, notes: WorkflowNote[], groups: WorkflowGroup[]): Workflow {
  const { notes: _notes, groups: _groups, ...rest } = document
  return {
    ...rest,
    ...(notes.length > 0 ? { notes } : {}),
    ...(groups.length > 0 ? { groups } : {}),
  }
}

export function addAnnotations(
  document: Workflow,
  added: { notes?: WorkflowNote[]; groups?: WorkflowGroup[] },
): Workflow {
  const notes = added.notes ?? []
  const groups = added.groups ?? []
  if (notes.length === 0 && groups.length === 0) return document
  return withAnnotations(document, [...notesOf(document), ...notes], [...groupsOf(document), ...groups])
}

/** Moves notes and groups to `positions` (by id); the same document when none moves. */
export function moveAnnotations(document: Workflow, positions: Record<string, XY>): Workflow {
  let changed = false
  const move = <T extends WorkflowNote | WorkflowGroup>(item: T): T => {
    const position = positions[item.id]
    if (!position) return item
    const next = { x: Math.round(position.x), y: Math.round(position.y) }
    if (next.x === item.position.x && next.y === item.position.y) return item
    changed = true
    return { ...item, position: next }
  }
  const notes = notesOf(document).map(move)
  const groups = groupsOf(document).map(move)
  return changed ? withAnnotations(document, notes, groups) : document
}

/** Removes the notes and groups with these ids; the same document when none matches. */
export function removeAnnotations(document: Workflow, ids: Iterable<string>): Workflow {
  const gone = new Set(ids)
  const notes = notesOf(document).filter((note) => !gone.has(note.id))
  const groups = groupsOf(document).filter((group) => !gone.has(group.id))
  if (notes.length === notesOf(document).length && groups.length === groupsOf(document).length) return document
  return withAnnotations(document, notes, groups)
}

type NotePatch = Partial<Pick<WorkflowNote, 'text' | 'color'>> & { rect?: Rect }
type GroupPatch = Partial<Pick<WorkflowGroup, 'label' | 'color'>> & { rect?: Rect }

/** Changes a note's text, colour or rectangle; the same document when nothing changes. */
export function updateNote(document: Workflow, id: string, patch: NotePatch): Workflow {
  let changed = false
  const notes = notesOf(document).map((note) => {
    if (note.id !== id) return note
    const next = patched(note, patch)
    if (patch.text !== undefined) next.text = patch.text.slice(0, 20_000)
    if (sameAnnotation(note, next)) return note
    changed = true
    return next
  })
  return changed ? withAnnotations(document, notes, groupsOf(document)) : document
}

/** Changes a group's label, colour or rectangle; the same document when nothing changes. */
export function updateGroup(document: Workflow, id: string, patch: GroupPatch): Workflow {
  let changed = false
  const groups = groupsOf(document).map((group) => {
    if (group.id !== id) return group
    const next = patched(group, patch)
    if (patch.label !== undefined) next.label = patch.label.trim().slice(0, 200)
    if (sameAnnotation(group, next)) return group
    changed = true
    return next
  })
  return changed ? withAnnotations(document, notesOf(document), groups) : document
}

function patched<T extends WorkflowNote | WorkflowGroup>(item: T, patch: { color?: AnnotationColor; rect?: Rect }): T {
  const next = { ...item }
  if (patch.color !== undefined) next.color = patch.color
  if (patch.rect) {
    next.position = { x: Math.round(patch.rect.x), y: Math.round(patch.rect.y) }
    next.size = { width: clampSize(patch.rect.width), height: clampSize(patch.rect.height) }
  }
  return next
}

function sameAnnotation(a: WorkflowNote | WorkflowGroup, b: WorkflowNote | WorkflowGroup): boolean {
  return (
    a.color === b.color &&
    a.position.x === b.position.x &&
    a.position.y === b.position.y &&
    a.size.width === b.size.width &&
    a.size.height === b.size.height &&
    ('text' in a ? a.text === (b as WorkflowNote).text : a.label === (b as WorkflowGroup).label)
  )
}

/** A width or height within the document's bounds, in whole pixels. */
export function clampSize(value: number): number {
  return Math.min(annotationSizeLimits.max, Math.max(annotationSizeLimits.min, Math.round(value)))
}

/** The smallest rectangle holding all of `rects`; undefined for none. */
export function boundsOf(rects: Rect[]): Rect | undefined {
  if (rects.length === 0) return undefined
  const left = Math.min(...rects.map((rect) => rect.x))
  const top = Math.min(...rects.map((rect) => rect.y))
  const right = Math.max(...rects.map((rect) => rect.x + rect.width))
  const bottom = Math.max(...rects.map((rect) => rect.y + rect.height))
  return { x: left, y: top, width: right - left, height: bottom - top }
}

/** The rectangle of a group wrapped around `rects` with room for its header. */
export function groupRectAround(rects: Rect[]): Rect | undefined {
  const bounds = boundsOf(rects)
  if (!bounds) return undefined
  return {
    x: Math.round(bounds.x - groupPadding.side),
    y: Math.round(bounds.y - groupPadding.top),
    width: clampSize(bounds.width + 2 * groupPadding.side),
    height: clampSize(bounds.height + groupPadding.top + groupPadding.side),
  }
}

/**
 * The rectangle of each node, note and group by id. Nodes take their measured size from
 * `sizeOf` (the canvas knows it, the document does not); a node without a position is left out.
 */
export function rectsOf(document: Workflow, sizeOf: (id: string) => Size | undefined): Map<string, Rect> {
  const rects = new Map<string, Rect>()
  for (const node of document.nodes) {
    if (!node.position) continue
    rects.set(node.id, { ...node.position, ...(sizeOf(node.id) ?? unmeasuredNode) })
  }
  for (const item of [...notesOf(document), ...groupsOf(document)]) {
    rects.set(item.id, { ...item.position, ...item.size })
  }
  return rects
}

function contains(outer: Rect, point: XY): boolean {
  return (
    point.x >= outer.x && point.x <= outer.x + outer.width && point.y >= outer.y && point.y <= outer.y + outer.height
  )
}

/**
 * What a group carries when it is dragged: every node and note whose centre lies inside it
 * (as in ComfyUI), and every other group that lies entirely inside it.
 */
export function groupContents(document: Workflow, groupId: string, sizeOf: (id: string) => Size | undefined): string[] {
  const group = groupsOf(document).find((candidate) => candidate.id === groupId)
  if (!group) return []
  const frame: Rect = { ...group.position, ...group.size }
  const rects = rectsOf(document, sizeOf)
  const groupIds = new Set(groupsOf(document).map((candidate) => candidate.id))
  const inside: string[] = []
  for (const [id, rect] of rects) {
    if (id === groupId) continue
    const held = groupIds.has(id)
      ? contains(frame, rect) && contains(frame, { x: rect.x + rect.width, y: rect.y + rect.height })
      : contains(frame, { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 })
    if (held) inside.push(id)
  }
  return inside
}
