export type { EditOptions, EditorState, SaveState, Size, XY } from './editor-store.ts'
export { useEditorStore } from './editor-store.ts'
