import { create } from 'zustand'

interface AnnotationEditing {
  /** The note whose text, or the group whose label, is open for typing; one at a time. */
  editingId: string | null
  startEditing(id: string): void
  /** Closes `id`'s editor, if it is still the open one. */
  stopEditing(id: string): void
}

/**
 * Which annotation is being edited. UI state, not part of the document or its history: a new
 * note opens for typing at once, a double-click opens an existing one.
 */
export const useAnnotationEditing = create<AnnotationEditing>((set, get) => ({
  editingId: null,
  startEditing: (id) => set({ editingId: id }),
  stopEditing: (id) => {
    if (get().editingId === id) set({ editingId: null })
  },
}))
