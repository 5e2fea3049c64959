export type { EditOptions, EditorState, SaveState, Size, XY } from './editor-store.ts'
export { selectedWorkflowNodes, useEditorStore } from './editor-store.ts'
