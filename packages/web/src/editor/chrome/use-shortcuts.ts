import { useEffect } from 'react'
import { deleteSelection, duplicateSelection, selectAll } from '../actions.ts'
import { editSelectedAnnotation } from '../annotation-actions.ts'
import { useEditorStore } from '../store/index.ts'

/** Whether a key event belongs to a text field (where the editor's shortcuts stay quiet). */
export function isEditableTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

/** Every editor shortcut, in one list for the cheat-sheet. */
export const shortcuts: { keys: string[]; what: string }[] = [
  // Each entry of `keys` is one alternative; `+` joins keys pressed together, `Mod` is Ctrl or ⌘.
  { keys: ['Mod+Z'], what: 'Undo' },
  { keys: ['Mod+Shift+Z', 'Mod+Y'], what: 'Redo' },
  { keys: ['/', 'double-click the canvas'], what: 'Quick-add a node at the cursor' },
  { keys: ['Delete', 'Backspace'], what: 'Delete the selection' },
  { keys: ['Mod+D'], what: 'Duplicate the selection' },
  { keys: ['Mod+C', 'Mod+V'], what: 'Copy / paste nodes (works across tabs)' },
  { keys: ['Mod+A'], what: 'Select everything' },
  { keys: ['Shift+click'], what: 'Add a node to the selection' },
  { keys: ['Shift+drag'], what: 'Box-select' },
  { keys: ['drop a wire on the canvas'], what: 'Add a node that fits, already connected' },
  { keys: ['drop or paste an image'], what: 'Upload it as a Load image node' },
  { keys: ['N'], what: 'Add a sticky note at the cursor' },
  { keys: ['G'], what: 'Group the selection (or add an empty group)' },
  { keys: ['Enter', 'double-click'], what: 'Edit the selected note, or rename the group' },
  { keys: ['drag a group header'], what: 'Move the group and everything inside it' },
  { keys: ['Escape'], what: 'Close a menu or dialog' },
  { keys: ['?'], what: 'This cheat-sheet' },
]

interface Handlers {
  onQuickAdd(): void
  onHelp(): void
  /** `N`: a sticky note at the cursor. */
  onAddNote?(): void
  /** `G`: a group around the selection. */
  onGroup?(): void
}

/** Window-level shortcuts: undo/redo, duplicate, select all, quick-add, notes, groups, help. */
export function useEditorShortcuts({ onQuickAdd, onHelp, onAddNote, onGroup }: Handlers) {
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || isEditableTarget(event.target)) return
      const mod = event.metaKey || event.ctrlKey
      const key = event.key.toLowerCase()
      const state = useEditorStore.getState()
      if (mod && key === 'z') {
        event.preventDefault()
        if (event.shiftKey) state.redo()
        else state.undo()
      } else if (mod && key === 'y') {
        event.preventDefault()
        state.redo()
      } else if (mod && key === 'd') {
        event.preventDefault()
        if (!state.readOnly) duplicateSelection()
      } else if (mod && key === 'a') {
        event.preventDefault()
        selectAll()
      } else if (!mod && event.key === '/') {
        event.preventDefault()
        if (!state.readOnly) onQuickAdd()
      } else if (!mod && !event.altKey && (key === 'n' || key === 'g')) {
        const handler = key === 'n' ? onAddNote : onGroup
        if (!state.readOnly && handler) {
          event.preventDefault()
          handler()
        }
      } else if (!mod && event.key === 'Enter') {
        if (editSelectedAnnotation()) event.preventDefault()
      } else if (!mod && event.key === '?') {
        event.preventDefault()
        onHelp()
      } else if (!mod && (event.key === 'Delete' || event.key === 'Backspace')) {
        if (!state.readOnly && (state.selectedNodeIds.length > 0 || state.selectedEdgeIds.length > 0)) {
          event.preventDefault()
          deleteSelection()
        }
      }
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [onQuickAdd, onHelp, onAddNote, onGroup])
}
