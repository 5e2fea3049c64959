import type { Workflow } from '@patchbay/core'
import { useEditorStore } from '../store/index.ts'

/** Applies an undoable edit to the open workflow; edits with the same `coalesce` key join one undo step. */
export const editDocument = (recipe: (document: Workflow) => Workflow, coalesce?: string) =>
  useEditorStore.getState().edit(recipe, coalesce ? { coalesce } : undefined)
