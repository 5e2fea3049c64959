export type { EditOptions, EditorState, SaveState, XY } from './editor-store.ts'
export { useEditorStore } from './editor-store.ts'
