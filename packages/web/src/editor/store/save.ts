import { ApiError, type SavedWorkflow, type Workflow } from '@patchbay/sdk'
import { api } from '../../app/api.ts'
import type { EditorState } from './editor-store.ts'

/** Quiet time after the last edit before autosave sends the document. */
export const AUTOSAVE_DELAY_MS = 800

interface SaverHost {
  get(): EditorState
  set(partial: Partial<EditorState>): void
  /** Replaces the document as an undoable edit. */
  setDocument(document: Workflow): void
}

/**
 * Autosave: debounces edits, sends one save at a time, and never overwrites a newer server
 * copy silently — a stale revision turns into a `conflict` the user settles.
 */
export function createSaver(host: SaverHost) {
  /** The document the server holds at `revision`. */
  let saved: Workflow | null = null
  let timer: ReturnType<typeof setTimeout> | undefined
  let inFlight: Promise<void> | null = null

  function dirty(): boolean {
    return saved !== null && host.get().document !== saved
  }

  function changed() {
    const state = host.get()
    if (state.readOnly || state.saveState === 'conflict') return
    clearTimeout(timer)
    if (!dirty()) {
      if (!inFlight) host.set({ saveState: 'saved' })
      return
    }
    if (state.saveState !== 'saving') host.set({ saveState: 'dirty' })
    timer = setTimeout(() => {
      void save().catch(() => {
        // Shown through saveState / saveError.
      })
    }, AUTOSAVE_DELAY_MS)
  }

  async function save(): Promise<void> {
    clearTimeout(timer)
    if (inFlight) {
      await inFlight
      return save()
    }
    const state = host.get()
    if (state.readOnly || state.saveState === 'conflict' || !dirty()) return
    const document = state.document
    host.set({ saveState: 'saving', saveError: null })
    inFlight = (async () => {
      try {
        const result = await api.workflows.update(state.workflowId, state.revision, document)
        // Another workflow was loaded meanwhile: this answer is not about what is on screen.
        if (host.get().workflowId === state.workflowId) accept(result, document)
      } catch (error) {
        if (host.get().workflowId !== state.workflowId) throw error
        if (error instanceof ApiError && error.code === 'STALE_REVISION') {
          const current = (error.details as { workflow?: SavedWorkflow } | undefined)?.workflow ?? null
          host.set({ saveState: 'conflict', conflict: current, saveError: error.message })
        } else {
          host.set({ saveState: 'error', saveError: error instanceof Error ? error.message : String(error) })
        }
        throw error
      } finally {
        inFlight = null
      }
    })()
    await inFlight
  }

  function accept(result: SavedWorkflow, sent: Workflow) {
    saved = sent
    const stillDirty = host.get().document !== sent
    host.set({ revision: result.revision, issues: result.issues, saveState: stillDirty ? 'dirty' : 'saved' })
    if (stillDirty) changed()
  }

  return {
    reset(document: Workflow) {
      clearTimeout(timer)
      saved = document
    },
    changed,
    async flush() {
      const state = host.get()
      if (state.readOnly) return
      if (state.saveState === 'conflict')
        throw new Error('the workflow was changed elsewhere: resolve the conflict first')
      await save()
    },
    async resolve(choice: 'mine' | 'theirs') {
      const { conflict } = host.get()
      if (!conflict) return
      if (choice === 'theirs') {
        saved = conflict.document
        host.set({
          conflict: null,
          saveError: null,
          revision: conflict.revision,
          issues: conflict.issues,
          saveState: 'saved',
        })
        // Undoable: undo brings the local version back (and autosave then offers it again).
        host.setDocument(conflict.document)
        return
      }
      host.set({ conflict: null, saveError: null, revision: conflict.revision, saveState: 'dirty' })
      await save()
    },
  }
}
