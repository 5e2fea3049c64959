import type { SavedWorkflow, ValidationIssue, Workflow } from '@patchbay/sdk'
import { temporal } from 'zundo'
import { create } from 'zustand'
import type { Size, XY } from '../graph/geometry.ts'
import { createSaver } from './save.ts'

/** Where the document stands relative to the server. */
export type SaveState = 'saved' | 'saving' | 'dirty' | 'conflict' | 'error'

/** Options of {@link EditorState.edit}. */
export interface EditOptions {
  /**
   * Edits with the same key that follow each other within a short pause become ONE undo step
   * (typing into a param, dragging a slider). Any other edit ends the group.
   */
  coalesce?: string
}

export interface EditorState {
  workflowId: string
  /** The document as shown on screen; every change to it goes through {@link edit}. */
  document: Workflow
  /** The server's revision the next save is based on. */
  revision: number
  /** Validation issues from the last load or save. */
  issues: ValidationIssue[]
  readOnly: boolean
  /** Selected canvas items: workflow nodes, and the notes and groups that share their id space. */
  selectedNodeIds: string[]
  selectedEdgeIds: string[]
  /** Positions of nodes being dragged: shown, but committed to the document on drag stop. */
  dragPositions: Record<string, XY>
  /** Sizes of notes and groups being resized: shown, but committed to the document on resize end. */
  dragSizes: Record<string, Size>
  saveState: SaveState
  saveError: string | null
  /** The server's workflow when a save hit `STALE_REVISION`. */
  conflict: SavedWorkflow | null

  /** Replaces everything with a freshly loaded workflow and forgets the undo history. */
  load(saved: SavedWorkflow, options: { readOnly: boolean }): void
  /** Applies an undoable change to the document (ignored when read-only). */
  edit(recipe: (document: Workflow) => Workflow, options?: EditOptions): void
  setSelection(nodeIds: string[], edgeIds?: string[]): void
  setDragPositions(positions: Record<string, XY> | null): void
  setDragSizes(sizes: Record<string, Size> | null): void
  undo(): void
  redo(): void
  /** Saves now (waiting for a save in flight); rejects when the save fails or conflicts. */
  flushSave(): Promise<void>
  /** Settles a `STALE_REVISION` conflict: overwrite the server's copy, or take it (undoable). */
  resolveConflict(choice: 'mine' | 'theirs'): Promise<void>
}

/** The selected ids that are workflow nodes (not notes or groups): what runs, aligns and counts. */
export function selectedWorkflowNodes(state: Pick<EditorState, 'document' | 'selectedNodeIds'>): string[] {
  if (state.selectedNodeIds.length === 0) return state.selectedNodeIds
  const nodes = nodeIdsOf(state.document)
  return state.selectedNodeIds.filter((id) => nodes.has(id))
}

// Selectors ask on every store change (each frame of a drag); a document is immutable, so its
// node ids are worked out once per document.
const nodeIdSets = new WeakMap<Workflow, ReadonlySet<string>>()
function nodeIdsOf(document: Workflow): ReadonlySet<string> {
  let ids = nodeIdSets.get(document)
  if (!ids) {
    ids = new Set(document.nodes.map((node) => node.id))
    nodeIdSets.set(document, ids)
  }
  return ids
}

const emptyDocument: Workflow = { schemaVersion: 1, name: 'Untitled', inputs: {}, nodes: [], edges: [] }

/** How long edits of one coalesce group may pause and still join the same undo step. */
const COALESCE_MS = 600

let groupKey: string | null = null
let groupTimer: ReturnType<typeof setTimeout> | undefined

/**
 * The editor's state. Only `document` is tracked by the undo history (zundo `temporal`); the
 * selection, drag positions and save state are not.
 *
 * @example
 * const document = useEditorStore((s) => s.document)
 * useEditorStore.getState().edit((d) => ({ ...d, name: 'Renamed' }))
 * await useEditorStore.getState().flushSave()
 */
export const useEditorStore = create<EditorState>()(
  temporal(
    (set, get) => {
      const saver = createSaver({
        get,
        set: (partial) => set(partial),
        setDocument: (document) => get().edit(() => document),
      })
      return {
        workflowId: '',
        document: emptyDocument,
        revision: 0,
        issues: [],
        readOnly: true,
        selectedNodeIds: [],
        selectedEdgeIds: [],
        dragPositions: {},
        dragSizes: {},
        saveState: 'saved',
        saveError: null,
        conflict: null,

        load(saved, { readOnly }) {
          endGroup()
          saver.reset(saved.document)
          set({
            workflowId: saved.id,
            document: saved.document,
            revision: saved.revision,
            issues: saved.issues,
            readOnly,
            selectedNodeIds: [],
            selectedEdgeIds: [],
            dragPositions: {},
            dragSizes: {},
            saveState: 'saved',
            saveError: null,
            conflict: null,
          })
          useEditorStore.temporal.getState().clear()
        },

        edit(recipe, options = {}) {
          const state = get()
          if (state.readOnly) return
          const next = recipe(state.document)
          if (next === state.document) return
          const history = useEditorStore.temporal.getState()
          const key = options.coalesce ?? null
          if (key !== null && key === groupKey) {
            // Same group: change the document without a new undo step.
            set({ document: next })
          } else {
            endGroup()
            set({ document: next })
            if (key !== null) {
              groupKey = key
              history.pause()
            }
          }
          if (groupKey !== null) {
            clearTimeout(groupTimer)
            groupTimer = setTimeout(endGroup, COALESCE_MS)
          }
          saver.changed()
        },

        setSelection(nodeIds, edgeIds = []) {
          const state = get()
          if (sameIds(state.selectedNodeIds, nodeIds) && sameIds(state.selectedEdgeIds, edgeIds)) return
          set({ selectedNodeIds: nodeIds, selectedEdgeIds: edgeIds })
        },

        setDragPositions(positions) {
          set({ dragPositions: positions ?? {} })
        },

        setDragSizes(sizes) {
          set({ dragSizes: sizes ?? {} })
        },

        undo() {
          if (get().readOnly) return
          endGroup()
          useEditorStore.temporal.getState().undo()
          saver.changed()
        },

        redo() {
          if (get().readOnly) return
          endGroup()
          useEditorStore.temporal.getState().redo()
          saver.changed()
        },

        flushSave: () => saver.flush(),
        resolveConflict: (choice) => saver.resolve(choice),
      }
    },
    {
      partialize: (state) => ({ document: state.document }),
      equality: (past, current) => past.document === current.document,
      limit: 200,
    },
  ),
)

/** Closes the current coalesce group so the next edit starts a new undo step. */
function endGroup() {
  clearTimeout(groupTimer)
  if (groupKey === null) return
  groupKey = null
  useEditorStore.temporal.getState().resume()
}

function sameIds(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((id, index) => id === b[index])
}
